/**
 * Holds in the chaos history: an operator deciding the open holds at random moments — approve, reject, or let one
 * run out its time — and the oracle's reading of what each decision means for a leaver.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { holdDecisionDetailType, operatorsSource } from '../../lib/holds/hold.js';
import { basisOf } from '../../lib/hr/employee-record.js';
import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import { HoldStore, holdsPk, writeDecision } from '../../lib/store/hold-store.js';

export type Decision = 'approve' | 'reject' | 'expire';

/** Where the chaos operator decides. */
export interface HoldDesk {
  readonly db: DynamoDBDocumentClient;
  readonly stateTable: string;
  readonly bus: EventBridgeClient;
  readonly busName: string;
  readonly random: () => number;
}

/**
 * Decides every open hold: approve or reject (written as the operators write it, then the nudge on the bus), or
 * expire — its time made to have run out, as if the day passed, then the nudge, which finds no decision in time.
 * Returns what was decided.
 */
export async function decideOpenHolds(desk: HoldDesk): Promise<Decision[]> {
  const store = new HoldStore(desk.db, desk.stateTable);
  const decided: Decision[] = [];
  for (const hold of await store.list()) {
    if (hold.status !== 'open') continue;
    const r = desk.random();
    const decision: Decision = r < 0.45 ? 'approve' : r < 0.8 ? 'reject' : 'expire';
    if (decision === 'expire') {
      await desk.db.send(
        new UpdateCommand({
          TableName: desk.stateTable,
          Key: { pk: holdsPk, sk: hold.holdId },
          UpdateExpression: 'SET expiresAt = :past',
          ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
        }),
      );
    } else {
      const written = await writeDecision(desk.db, desk.stateTable, {
        holdId: hold.holdId,
        decision,
        decidedBy: 'arn:aws:iam::000000000000:root',
        decidedAt: new Date().toISOString(),
      });
      if (written === 'decided-already') continue;
    }
    decided.push(decision);
    await desk.bus.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: desk.busName,
            Source: operatorsSource,
            DetailType: holdDecisionDetailType,
            Detail: JSON.stringify({ kind: 'hold-decision', holdId: hold.holdId, capability: hold.capability }),
          },
        ],
      }),
    );
  }
  return decided;
}

/**
 * What the holds say about each leaver's final leave: `held-dropped` when the hold that kept it (the one holding
 * the employee's final facts) was rejected or expired — the user stays as they were — otherwise `applies`.
 */
export async function leaveVerdicts(
  desk: Pick<HoldDesk, 'db' | 'stateTable'>,
  leavers: readonly { employeeId: string; networkId: string }[],
): Promise<Map<string, 'applies' | 'held-dropped' | 'still-open'>> {
  const holds = await new HoldStore(desk.db, desk.stateTable).list();
  const records = new EmployeeRecordStore(desk.db, desk.stateTable, 0);
  const verdicts = new Map<string, 'applies' | 'held-dropped' | 'still-open'>();
  for (const { employeeId, networkId } of leavers) {
    const record = await records.get(networkId, employeeId);
    const basis = record && basisOf(record);
    const holding = holds.filter((h) => h.subjects.some((s) => s.subject === employeeId && s.version === basis));
    const last = holding.find((h) => h.holdId === record?.applied?.held) ?? holding.at(-1);
    verdicts.set(
      employeeId,
      !last || last.status === 'approved' ? 'applies' : last.status === 'open' ? 'still-open' : 'held-dropped',
    );
  }
  return verdicts;
}
