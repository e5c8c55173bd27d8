/**
 * The local input transformer against the examples of EventBridge's user guide ("Amazon EventBridge input
 * transformation", the EC2 state-change event) and the rules it states for missing paths and reserved variables.
 */
import { describe, expect, it } from 'vitest';
import { transformInput } from '../../../../infra/local/events/input-transformer.js';

const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const inputPathsMap = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const rule = { ruleName: 'example', ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example', ingestionTime: 'T' };
const transform = (inputTemplate: string) => transformInput(event, { inputPathsMap, inputTemplate }, rule);

describe('the input transformer', () => {
  it('fills a string template', () => {
    expect(transform('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
  });

  it('quotes a value outside quotes and inserts it as it is inside them', () => {
    const out = transform(
      '{"instance" : <instance>, "state": "<state>", "status": "instance \\"<instance>\\" is in <state>"}',
    );
    expect(JSON.parse(out)).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      status: 'instance "i-0123456789" is in RUNNING',
    });
  });

  it('places values in arrays and keeps static parts', () => {
    expect(
      JSON.parse(transform('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}')),
    ).toEqual({ instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' });
  });

  it('knows the reserved variables, the original event among them', () => {
    const out = JSON.parse(
      transform(
        '{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "e": <aws.events.event.json>}',
      ),
    );
    expect(out).toEqual({ ruleArn: rule.ruleArn, ruleName: 'example', e: event });
    expect(transform('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it('leaves nothing where a path the event lacks was named', () => {
    const out = transformInput(
      event,
      { inputPathsMap: { gone: '$.detail.nothing' }, inputTemplate: '"[<gone>]"' },
      rule,
    );
    expect(out).toBe('"[]"');
  });

  it('does not escape what it substitutes: a quote in a value breaks a JSON template (so headlines must not carry one)', () => {
    const quoted = { ...event, detail: { ...event.detail, state: 'say "hi"' } };
    const out = transformInput(quoted, { inputPathsMap, inputTemplate: '{"s":"<state>"}' }, rule);
    expect(() => JSON.parse(out)).toThrow();
  });
});
