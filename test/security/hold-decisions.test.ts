/**
 * Holds on the local stack, end to end, as an insider would try them: a burst of leavers through the HR rule trips
 * the deprovisioning safeguard; a developer's decision, a decision for a hold that does not exist yet, one for a
 * revision the hold is no longer at, one that names its own decider, an unsigned one and a decision written around
 * the entry point are all refused; the operators' approval, taken by the entry point as the caller AWS
 * authenticated, is carried out by the HR consumer and audited with their identity.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { functionAccessKey, startLocalStack } from '../../infra/local/local-stack.js';
import { decideHold, HoldDecisionRefusedError, listHolds } from '../../infra/ops/holds.js';
import { callOperatorEntry } from '../../infra/ops/operator-entry.js';
import { holdRevision } from '../../lib/holds/hold.js';
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
  secrets: new Map([['OPSKEY', 'ops-secret']]),
});
afterAll(() => stack.close());

const stateTable = 'wickr-autopilot-local-state';
const db = documentClient(stack.dynamodb.client);
const bus = new EventBridgeClient({
  region: stack.region,
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'x' },
});
const operatorUrl = async () => stack.functionUrls.get('operatorActions') ?? '';
const target = (accessKeyId: string, secretAccessKey = 'x') => ({
  db,
  stateTable,
  busName: stack.busName,
  localEndpoint: stack.eventBridgeEndpoint,
  region: stack.region,
  operatorUrl,
  credentials: { accessKeyId, secretAccessKey },
});
const refusal = (work: Promise<unknown>) => work.then(() => undefined).catch((error: Error) => error);
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
  it('holds the deprovisions past the hour’s 20; only the operators decide, exactly what they saw, through the entry point', async () => {
    for (const detailType of ['Employee Onboarded', 'Employee Offboarded']) {
      for (let i = 0; i < ids.length; i += 10) {
        const entries = ids
          .slice(i, i + 10)
          .map((id) =>
            hrFact(
              detailType,
              detailType === 'Employee Onboarded'
                ? { employeeId: id, username: `${id}@example.com`, department: 'Legal' }
                : { employeeId: id },
            ),
          );
        await bus.send(new PutEventsCommand({ Entries: entries }));
      }
      await stack.bus.drain();
    }
    expect(suspended()).toBe(20);
    const [hold] = (await listHolds({ db, stateTable })).filter((h) => h.status === 'open');
    expect(hold?.subjects).toHaveLength(10);
    const holdId = String(hold?.holdId);
    const seen = { revision: holdRevision(hold?.subjects ?? []), count: 10 };

    // A developer (an ordinary insider) is not the operators' role.
    const insider = await refusal(decideHold(target('INSIDER'), holdId, 'approve', { ...seen, waitMs: 1_000 }));
    expect(insider).toBeInstanceOf(HoldDecisionRefusedError);
    expect((insider as Error).message).toContain("only the operators' role");
    // Pre-approving a hold that does not exist yet (its id is predictable): no decision can precede its hold.
    const ahead = await refusal(
      decideHold(target('OPSKEY', 'ops-secret'), `${holdId.slice(0, -2)}-9`, 'approve', { ...seen, waitMs: 1_000 }),
    );
    expect((ahead as Error).message).toContain('a decision cannot precede its hold');
    // A revision the hold is not at (what the operator saw earlier, or a guess): refused, show it again.
    const stale = await refusal(
      decideHold(target('OPSKEY', 'ops-secret'), holdId, 'approve', {
        revision: '000000000000',
        count: 10,
        waitMs: 1_000,
      }),
    );
    expect((stale as Error).message).toMatch(/is at revision [0-9a-f]{12} with 10 action\(s\), not 000000000000/);
    // Who decided and when are the platform's: a body that names them is refused, naming the field.
    const named = await refusal(
      callOperatorEntry(target('OPSKEY', 'ops-secret'), {
        action: 'decide-hold',
        holdId,
        decision: 'approve',
        ...seen,
        decidedBy: 'arn:aws:iam::000000000000:role/ciso',
      }),
    );
    expect(named).toMatchObject({ status: 400, message: expect.stringContaining('decidedBy') });
    // A signature made with the wrong secret for the operators' key never reaches the function.
    const forged = await refusal(
      decideHold(target('OPSKEY', 'guessed'), holdId, 'approve', { ...seen, waitMs: 1_000 }),
    );
    expect(forged).toBeInstanceOf(HoldDecisionRefusedError);
    expect((forged as Error).message).toContain('Forbidden');
    const unsigned = await fetch(await operatorUrl(), { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);

    // Around the entry point: nobody — not the operators, not the hold's own consumer — writes a decision directly.
    const verdict = async (accessKeyId: string, leadingKey: string) => {
      const url = new URL('/_local/dynamodb/authorize', stack.eventBridgeEndpoint);
      url.searchParams.set('accessKeyId', accessKeyId);
      url.searchParams.set('action', 'dynamodb:PutItem');
      url.searchParams.set('leadingKey', leadingKey);
      return (await fetch(url)).json();
    };
    expect(await verdict(functionAccessKey('hrEvents'), decisionsPk)).toMatchObject({
      allowed: false,
      deniedBy: 'OnlyTheEntryPointDecidesHolds',
    });
    expect(await verdict('OPSKEY', decisionsPk)).toMatchObject({
      allowed: false,
      deniedBy: 'OnlyTheEntryPointDecidesHolds',
    });
    expect(await verdict('OPSKEY', 'HOLDS')).toMatchObject({ allowed: false, deniedBy: 'OnlyTheFunctionsHold' });
    expect(await verdict(functionAccessKey('operatorActions'), decisionsPk)).toMatchObject({ allowed: true });
    expect(await verdict(functionAccessKey('hrEvents'), 'HOLDS')).toMatchObject({ allowed: true });
    const { Item } = await db.send(new GetCommand({ TableName: stateTable, Key: { pk: decisionsPk, sk: holdId } }));
    expect(Item).toBeUndefined();
    expect(suspended()).toBe(20);

    const approved = await decideHold(target('OPSKEY', 'ops-secret'), holdId, 'approve', {
      ...seen,
      reason: 'planned reorganisation',
      waitMs: 30_000,
    });
    expect(approved.recorded).toMatchObject({ decidedBy: operators, ...seen });
    expect(Math.abs(Date.parse(approved.recorded.decidedAt) - Date.now())).toBeLessThan(60_000);
    expect(approved.outcome).toMatchObject({ decision: 'approved', decidedBy: operators, applied: 10 });
    expect(suspended()).toBe(30);
  });
});
