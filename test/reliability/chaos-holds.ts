/**
 * Holds in the chaos history: an operator deciding the open holds at random moments — approve, reject, or let one
 * run out its time — and the oracle's reading of what each decision means for a leaver.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callOperatorEntry, OperatorEntryRefusedError } from '../../infra/ops/operator-entry.js';
import { holdDecisionDetailType, holdRevision, operatorsSource } from '../../lib/holds/hold.js';
import { basisOf } from '../../lib/hr/employee-record.js';
import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import { HoldStore, holdsPk } from '../../lib/store/hold-store.js';

export type Decision = 'approve' | 'reject' | 'expire';

/** Where the chaos operator decides. */
export interface HoldDesk {
  readonly db: DynamoDBDocumentClient;
  readonly stateTable: string;
  readonly bus: EventBridgeClient;
  readonly busName: string;
  readonly random: () => number;
  /** The operators' entry point, and the operators' key it is signed with. */
  readonly operatorUrl: () => Promise<string>;
  readonly operatorKey: string;
}

/** The operators' role of the chaos stack, and the key that stands for it. */
export const chaosOperators = { arn: 'arn:aws:iam::000000000000:role/chaos-operators', key: 'CHAOSOPS' } as const;

/**
 * Decides every open hold: approve or reject (through the operators' entry point, signed as the operators, bound to
 * the revision read here; the entry point nudges), or expire — its time made to have run out, as if the day passed,
 * then a nudge, which finds no decision in time.
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
      const request = {
        action: 'decide-hold',
        holdId: hold.holdId,
        decision,
        revision: holdRevision(hold.subjects),
        count: hold.subjects.length,
      };
      const entry = {
        operatorUrl: desk.operatorUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: desk.operatorKey, secretAccessKey: 'x' },
      };
      const answer = await callOperatorEntry(entry, request).catch((error: unknown) => error);
      // Decided or sealed between the listing and now (a retried history step): the first decision stands.
      if (answer instanceof OperatorEntryRefusedError && answer.status === 409) continue;
      if (answer instanceof Error) throw answer;
      decided.push(decision);
      continue;
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
