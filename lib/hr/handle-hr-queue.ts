import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { HrFactEvent, type HrQueueEvent } from '../events/hr-events.js';
import { RosterChunkMessage, RosterObjectCreated } from '../events/roster-events.js';
import { lazySchema } from '../lazy-schema.js';
import { fieldIssues } from '../schema-issues.js';
import { applyHoldDecision } from './apply-hold.js';
import { factOf } from './employee-fact.js';
import { basisOf } from './employee-record.js';
import { HrMessageRejectedError } from './errors.js';
import { destinationOf } from './fact-destination.js';
import { type OktaIntake, takeOktaMessage } from './okta-fact.js';
import type { HrDeps } from './ports.js';
import { type EmployeeOutcome, reconcileEmployees } from './reconcile-employees.js';
import { takeRosterChunk } from './roster-chunk.js';
import type { RosterIntake } from './roster-intake.js';
import { takeRosterSnapshot } from './roster-snapshot.js';

/** The queue consumer's ports beyond the reconcile's: the edge checks and the refusal path. */
export interface HrQueueDeps extends HrDeps {
  /** Origin problems of an HR event (source, account, time in the future), field by field. */
  readonly originIssues: (event: HrFactEvent) => readonly { field: string; reason: string }[];
  /** Whether an error is one a retry cannot fix. */
  readonly isPermanent: (error: unknown) => boolean;
  /** Sends refused input to the failure queue with its reason; false when there is none (then it is retried). */
  readonly refuse: (error: Error, event: unknown) => Promise<boolean>;
  /** Okta's System Log, when `oktaEventSource` connects it (its partner rule feeds this queue). */
  readonly okta?: OktaIntake | undefined;
  /** Roster snapshots from the stack's bucket (S3's events reach this queue through the roster rule). */
  readonly roster?: RosterIntake | undefined;
}

/** The follow-up the reconcile sends itself: is this employee, never onboarded, still unmatched? */
const UnmatchedCheck = lazySchema(() =>
  z.object({
    kind: z.literal('unmatched-check'),
    networkId: z.string().check(z.regex(/^[0-9]{8}$/)),
    employeeId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/)),
  }),
);

/** An operator decided a hold (the nudge from the bus): the decision itself is read from the table. */
const HoldDecisionNudge = lazySchema(() =>
  z.object({
    kind: z.literal('hold-decision'),
    holdId: z.string().check(z.regex(/^[a-z0-9-]{1,80}$/)),
  }),
);

type Employee = { readonly networkId: string; readonly employeeId: string };

/** One message: an HR fact recorded in its employee's desired record, or an unmatched check. */
/**
 * What a message brought: the event (for a refusal's record), the employees it touched (one per fact, many per
 * roster chunk), or a hold's decision.
 */
type Taken = { event?: unknown; employees?: readonly Employee[]; holdId?: string };

async function takeMessage(body: string, deps: HrQueueDeps): Promise<Taken> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HrMessageRejectedError([{ field: 'body', reason: 'must be JSON' }]);
  }
  const nudge = HoldDecisionNudge.safeParse(json);
  if (nudge.success) return { holdId: nudge.data.holdId };
  const detailType = (json as { 'detail-type'?: unknown } | null)?.['detail-type'];
  if (detailType === 'SystemLog') return takeOkta(json, deps);
  if (detailType === 'Object Created') return takeRoster(json, deps);
  const chunk = RosterChunkMessage.safeParse(json);
  if (chunk.success) {
    const { networkId, employeeIds } = await takeRosterChunk(deps, rosterIntake(deps), chunk.data);
    return { employees: employeeIds.map((employeeId) => ({ networkId, employeeId })) };
  }
  const check = UnmatchedCheck.safeParse(json);
  if (check.success) {
    await checkUnmatched(deps, check.data);
    return {};
  }
  const parsed = HrFactEvent.safeParse(json);
  if (!parsed.success) throw new HrMessageRejectedError(fieldIssues(parsed.error.issues));
  const event = parsed.data;
  const origin = deps.originIssues(event);
  if (origin.length > 0) throw new HrMessageRejectedError(origin);
  const { networkId, groupName } = destinationOf(event, deps);
  await deps.records.recordFact(factOf(event, networkId, groupName, deps.hr.adoptExistingUsers));
  return { event, employees: [{ networkId, employeeId: event.detail.employeeId }] };
}

/** An Okta System Log event: its person's fact recorded, or nothing (and why, in the log: ids only). */
async function takeOkta(json: unknown, deps: HrQueueDeps): Promise<Taken> {
  if (!deps.okta)
    throw new HrMessageRejectedError([
      {
        field: 'source',
        reason: 'Okta is not connected here: set both the oktaEventSource parameter and the policy’s sources.okta',
      },
    ]);
  return takeOktaMessage(json, deps, deps.okta);
}

function rosterIntake(deps: HrQueueDeps): RosterIntake {
  if (!deps.roster) {
    throw new HrMessageRejectedError([{ field: 'source', reason: 'roster snapshots are not connected here' }]);
  }
  return deps.roster;
}

/**
 * S3 said a roster file was uploaded: from the deployment's roster bucket and account only (refused naming the
 * field otherwise), then read whole; what it concluded is published (accepted, or refused and why).
 */
async function takeRoster(json: unknown, deps: HrQueueDeps): Promise<Taken> {
  const intake = rosterIntake(deps);
  const parsed = RosterObjectCreated.safeParse(json);
  if (!parsed.success) throw new HrMessageRejectedError(fieldIssues(parsed.error.issues));
  const event = parsed.data;
  const issues = [
    ...(event.source === 'aws.s3' ? [] : [{ field: 'source', reason: 'must be aws.s3' }]),
    ...(event.detail.bucket.name === intake.bucket
      ? []
      : [{ field: 'detail.bucket.name', reason: 'is not the roster bucket' }]),
    ...(!intake.account || event.account === intake.account
      ? []
      : [{ field: 'account', reason: 'must be this deployment’s account' }]),
  ];
  if (issues.length > 0) throw new HrMessageRejectedError(issues);
  await takeRosterSnapshot(deps, intake, event);
  return { event };
}

/** An employee with facts but never an onboarding, past the grace period: reported once, not lost. */
async function checkUnmatched(deps: HrDeps, { networkId, employeeId }: Employee) {
  const record = await deps.records.get(networkId, employeeId);
  if (!record || record.identity || record.applied?.userId || record.applied?.status !== 'absent') return;
  const claimed = await deps.records.claim(
    networkId,
    employeeId,
    deps.holder,
    deps.clock.now() + 30_000,
    deps.clock.now(),
  );
  if (!claimed || claimed.identity || claimed.applied?.userId) {
    if (claimed) await deps.records.abandon(networkId, employeeId, deps.holder);
    return;
  }
  await deps.records.release(claimed, deps.holder, { status: 'unmatched', basis: basisOf(claimed) });
  deps.logger.info('Employee never onboarded', { networkId, employeeId });
  deps.metrics?.add('EmployeesUnmatched', 1);
  await deps.publisher.publish('Wickr Employee Unmatched', {
    networkId,
    employeeId,
    factTime: claimed.factTime,
    placement: claimed.placement.state,
    reason: `no Employee Onboarded within ${deps.hr.unmatchedGraceMinutes} minutes of a later fact`,
  });
}

const count = (outcomes: readonly EmployeeOutcome[]) =>
  outcomes.reduce<Record<string, number>>((byAction, o) => {
    byAction[o.action] = (byAction[o.action] ?? 0) + 1;
    return byAction;
  }, {});

/**
 * The HR queue's consumer. First every message's fact is recorded in its employee's desired record (Powertools
 * Batch: each message on its own, in parallel; a refused one goes to the failure queue with its reason and is not
 * retried), then the employees touched are reconciled together, network by network, with the fewest Wickr
 * calls. A message fails (and returns after the visibility timeout) only if its own fact could not be recorded or
 * its employee could not be reconciled.
 */
export async function handleHrQueue(event: HrQueueEvent, deps: HrQueueDeps) {
  const taken = new Map<string, Taken>();
  // What was refused (to the failure queue, not retried), said in the batch's answer: ids and reasons only.
  const refused: { messageId: string; employeeId?: string | undefined; reason: string }[] = [];
  const refuseOrThrow = async (error: unknown, input: unknown, messageId: string) => {
    if (!deps.isPermanent(error) || !(await deps.refuse(error as Error, input))) throw error;
    const employeeId = (input as { detail?: { employeeId?: unknown } } | null)?.detail?.employeeId;
    refused.push({
      messageId,
      employeeId: typeof employeeId === 'string' ? employeeId.slice(0, 64) : undefined,
      reason: (error as Error).message.slice(0, 300),
    });
  };
  const first = await processPartialResponse(
    event as unknown as SQSEvent,
    async (record: SQSRecord) => {
      try {
        taken.set(record.messageId, await takeMessage(record.body, deps));
      } catch (error) {
        await refuseOrThrow(error, safeJson(record.body), record.messageId);
      }
    },
    new BatchProcessor(EventType.SQS),
    { throwOnFullBatchFailure: false },
  );
  const byNetwork = new Map<string, Set<string>>();
  for (const { employees = [] } of taken.values()) {
    for (const { networkId, employeeId } of employees) {
      byNetwork.set(networkId, (byNetwork.get(networkId) ?? new Set()).add(employeeId));
    }
  }
  const failedEmployees = new Map<string, Error>();
  for (const [networkId, ids] of byNetwork) {
    let reconciled: Awaited<ReturnType<typeof reconcileEmployees>>;
    try {
      reconciled = await reconcileEmployees(deps, networkId, [...ids]);
    } catch (error) {
      for (const id of ids) failedEmployees.set(`${networkId}/${id}`, error as Error);
      continue;
    }
    for (const [id, error] of reconciled.failed) failedEmployees.set(`${networkId}/${id}`, error);
    const users = reconciled.outcomes.filter((o) => o.action !== 'unchanged' && o.action !== 'coalesced');
    const counted = count(reconciled.outcomes);
    deps.logger.info('Employees reconciled', { networkId, ...counted, failed: reconciled.failed.size });
    const n = (...actions: EmployeeOutcome['action'][]) => actions.reduce((sum, a) => sum + (counted[a] ?? 0), 0);
    deps.metrics?.add('UsersCreated', n('created', 'converged'));
    deps.metrics?.add('UsersMoved', n('moved'));
    deps.metrics?.add('UsersReactivated', n('reactivated'));
    deps.metrics?.add('UsersDeprovisioned', n('suspended', 'deleted'));
    deps.metrics?.add('UsersRefused', n('refused', 'not-adopted'));
    deps.metrics?.add('UserDrift', reconciled.outcomes.filter((o) => o.drift).length);
    if (users.length > 0) await deps.publisher.publish('Wickr Users Reconciled', { networkId, users });
    for (const drifted of users.filter((o) => o.drift)) {
      await deps.publisher.publish('Wickr User Drift', { networkId, ...drifted });
    }
  }
  const batchItemFailures = [...first.batchItemFailures];
  // Decisions after the facts: an approval re-plans against records that already hold this batch's facts.
  for (const [messageId, { holdId }] of taken) {
    if (!holdId) continue;
    try {
      const settled = await applyHoldDecision(deps, holdId);
      deps.logger.info('Hold decision', { holdId, status: settled.status });
    } catch (error) {
      deps.logger.warn('Hold decision not carried out; the message returns', { holdId, error: (error as Error).name });
      batchItemFailures.push({ itemIdentifier: messageId });
    }
  }
  for (const [messageId, { event: fact, employees = [] }] of taken) {
    const failed = employees.find((e) => failedEmployees.has(`${e.networkId}/${e.employeeId}`));
    if (!failed) continue;
    const error = failedEmployees.get(`${failed.networkId}/${failed.employeeId}`) as Error;
    deps.logger.warn('Employee not reconciled; the message returns', {
      networkId: failed.networkId,
      employeeId: failed.employeeId,
      error: error.name,
    });
    try {
      await refuseOrThrow(error, fact, messageId);
    } catch {
      batchItemFailures.push({ itemIdentifier: messageId });
    }
  }
  // Lambda reads only batchItemFailures; the rest says what happened to whoever looks (the local runtime's log).
  return { batchItemFailures, refused, messages: event.Records.length };
}

function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 1000);
  }
}
