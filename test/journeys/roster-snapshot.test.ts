/**
 * A roster snapshot through the local stack as deployed: the file put in the roster bucket, S3's `Object Created`
 * on the default bus, the roster rule to the HR queue, the HR consumer reading the file from S3 and provisioning.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { hrBatchingWindowSeconds: '0' },
});
afterAll(() => stack.close());

const bucket = stack.service.buckets.find((b) => b.logicalId === 'RosterBucket')?.name ?? '';
const objects = new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
const users = () => stack.emulator.snapshot().networks[0]?.users ?? [];
const outcomes = (detailType: string) =>
  stack.bus.events.filter((e) => e.event.source === 'wickr.autopilot' && e.event['detail-type'] === detailType);

describe('a roster snapshot on the local stack', () => {
  it('provisions the people of a file uploaded to the roster bucket, and ignores files outside roster/', async () => {
    const csv = [
      'employeeId,username,firstName,lastName,department,status',
      'R-1,rita.one@example.com,Rita,One,Engineering,active',
      'R-2,raj.two@example.com,Raj,Two,Finance,active',
      'R-3,not-an-address,Ro,Three,Finance,active',
      'R-4,rae.four@example.com,Rae,Four,Legal,active',
      'R-5,ron.five@example.com,Ron,Five,Engineering,active',
    ].join('\n');
    await objects.put({ bucket, key: 'roster/2026-11-30.csv' }, Buffer.from(csv));
    await objects.put({ bucket, key: 'elsewhere/notes.csv' }, Buffer.from(csv));
    await stack.bus.drain();
    const [accepted] = outcomes('Wickr Roster Accepted');
    expect(accepted?.event.detail).toMatchObject({
      key: 'roster/2026-11-30.csv',
      rows: 5,
      invalid: 1,
      issues: [{ line: 4, field: 'username', reason: 'must be an e-mail address' }],
      actor: 'hrEvents',
    });
    // Only the roster/ upload matched the roster rule.
    const s3Events = stack.bus.events.filter((e) => e.event.source === 'aws.s3');
    expect(
      s3Events.map((e) => [(e.event.detail as { object: { key: string } }).object.key, e.matchedRules.length]),
    ).toEqual([
      ['roster/2026-11-30.csv', 1],
      ['elsewhere/notes.csv', 0],
    ]);
    expect(
      ['rita.one', 'raj.two', 'rae.four', 'ron.five'].map((u) =>
        users().some((x) => x.username === `${u}@example.com` && !x.suspended),
      ),
    ).toEqual([true, true, true, true]);
    expect(users().some((x) => x.username === 'not-an-address')).toBe(false);
  });
});
