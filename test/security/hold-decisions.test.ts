/**
 * Holds on the local stack, end to end: a burst of leavers through the HR rule trips the deprovisioning safeguard,
 * a developer's decision is refused by the table's resource policy (the local stack answers for it as AWS would),
 * and the operators' approval is carried out by the HR consumer and audited with their identity.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { functionAccessKey, startLocalStack } from '../../infra/local/local-stack.js';
import { decideHold, HoldDecisionRefusedError, listHolds } from '../../infra/ops/holds.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { decisionsPk } from '../../lib/store/hold-store.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const operators = 'arn:aws:iam::000000000000:role/operators';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { operatorsRoleArn: operators, hrBatchingWindowSeconds: '0' },
  identities: new Map([
    ['OPSKEY', operators],
    ['INSIDER', 'arn:aws:iam::000000000000:role/developer'],
  ]),
});
afterAll(() => stack.close());

const stateTable = 'wickr-autopilot-local-state';
const db = documentClient(stack.dynamodb.client);
const bus = (accessKeyId: string) =>
  new EventBridgeClient({
    region: stack.region,
    endpoint: stack.eventBridgeEndpoint,
    credentials: { accessKeyId, secretAccessKey: 'x' },
  });
const target = (accessKeyId: string) => ({
  db,
  stateTable,
  eventBridge: bus(accessKeyId),
  busName: stack.busName,
  localEndpoint: stack.eventBridgeEndpoint,
  region: stack.region,
});
const hrFact = (detailType: string, detail: Record<string, unknown>) => ({
  EventBusName: stack.busName,
  Source: 'hr.system',
  DetailType: detailType,
  Detail: JSON.stringify({ schemaVersion: '1', employmentType: 'EMPLOYEE', ...detail }),
});
const run = randomUUID().slice(0, 6);
const ids = Array.from({ length: 30 }, (_, i) => `${run}-${i}`);
const suspended = () =>
  stack.emulator.snapshot().networks[0]?.users.filter((u) => u.username.startsWith(run) && u.suspended).length ?? 0;

describe('holds on the local stack', () => {
  it('holds the deprovisions past the hour’s 20, refuses a developer’s decision, carries out the operators’', async () => {
    for (let i = 0; i < ids.length; i += 10) {
      await bus('local').send(
        new PutEventsCommand({
          Entries: ids
            .slice(i, i + 10)
            .map((id) =>
              hrFact('Employee Onboarded', { employeeId: id, username: `${id}@example.com`, department: 'Legal' }),
            ),
        }),
      );
    }
    await stack.bus.drain();
    for (let i = 0; i < ids.length; i += 10) {
      await bus('local').send(
        new PutEventsCommand({
          Entries: ids.slice(i, i + 10).map((id) => hrFact('Employee Offboarded', { employeeId: id })),
        }),
      );
    }
    await stack.bus.drain();
    expect(suspended()).toBe(20);
    const [hold] = (await listHolds({ db, stateTable })).filter((h) => h.status === 'open');
    expect(hold?.subjects).toHaveLength(10);
    const holdId = String(hold?.holdId);

    const refused = await decideHold(target('INSIDER'), holdId, 'approve', {
      principalArn: 'arn:aws:iam::000000000000:role/developer',
      accessKeyId: 'INSIDER',
      waitMs: 1_000,
    }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(HoldDecisionRefusedError);
    expect((refused as Error).message).toContain("only the operators' role decides holds");
    // The functions write the table, but never a decision: the hold's own consumer cannot approve it.
    const verdict = new URL('/_local/dynamodb/authorize', stack.eventBridgeEndpoint);
    verdict.searchParams.set('accessKeyId', functionAccessKey('hrEvents'));
    verdict.searchParams.set('action', 'dynamodb:PutItem');
    verdict.searchParams.set('leadingKey', decisionsPk);
    expect(await (await fetch(verdict)).json()).toMatchObject({
      principalArn: 'arn:aws:iam::000000000000:role/wickr-autopilot-local-hrEvents',
      allowed: false,
      deniedBy: 'OnlyOperatorsDecideHolds',
    });
    verdict.searchParams.set('leadingKey', 'HOLDS');
    expect(await (await fetch(verdict)).json()).toMatchObject({ allowed: true });
    const { Item } = await db.send(new GetCommand({ TableName: stateTable, Key: { pk: decisionsPk, sk: holdId } }));
    expect(Item).toBeUndefined();
    expect(suspended()).toBe(20);

    const approved = await decideHold(target('OPSKEY'), holdId, 'approve', {
      principalArn: operators,
      accessKeyId: 'OPSKEY',
      reason: 'planned reorganisation',
      waitMs: 30_000,
    });
    expect(approved.outcome).toMatchObject({ decision: 'approved', decidedBy: operators, applied: 10 });
    expect(suspended()).toBe(30);
  });
});
