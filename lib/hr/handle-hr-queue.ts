import type { HrFactEvent } from '../events/hr-events.js';
import type { OktaSystemLogEvent } from '../events/okta-events.js';
import type { RosterObjectCreated } from '../events/roster-events.js';
import {
  consumeBatch,
  type MessageFailures,
  type QueueAnswer,
  type QueueEvent,
  type QueueMessage,
} from '../queue-batch.js';
import { applyHoldDecision } from './apply-hold.js';
import { factOf } from './employee-fact.js';
import { basisOf } from './employee-record.js';
import { HrMessageRejectedError } from './errors.js';
import { destinationOf } from './fact-destination.js';
import { answerFact, type ChunkTaken, type FactTaken, reportChunk } from './hr-answers.js';
import { type HrQueueMessage, parseHrQueueMessage } from './hr-queue-message.js';
import { type OktaIntake, takeOktaMessage } from './okta-fact.js';
import type { HrDeps } from './ports.js';
import { type EmployeeOutcome, type EmployeesReconciled, reconcileEmployees } from './reconcile-employees.js';
import { takeRosterChunk } from './roster-chunk.js';
import type { RosterIntake } from './roster-intake.js';
import { takeRosterSnapshot } from './roster-snapshot.js';

/** The queue consumer's ports beyond the reconcile's: the edge checks and the refusal path. */
export interface HrQueueDeps extends HrDeps {
  /** Origin problems of an HR event (source, account, time in the future), field by field. */
  readonly originIssues: (event: HrFactEvent) => readonly { field: string; reason: string }[];
  /** Sends refused input to the failure queue with its reason; false when there is none (then it is retried). */
  readonly refuse: (error: Error, received: unknown) => Promise<boolean>;
  /** Okta's System Log, when `oktaEventSource` connects it (its partner rule feeds this queue). */
  readonly okta?: OktaIntake | undefined;
  /** Roster snapshots from the stack's bucket (S3's events reach this queue through the roster rule). */
  readonly roster?: RosterIntake | undefined;
}

type Employee = { readonly networkId: string; readonly employeeId: string };

/** What a message brought: the employees it touched (one per fact, many per roster chunk), or a hold's decision. */
type Taken = { employees?: readonly Employee[]; holdId?: string; chunk?: ChunkTaken; fact?: FactTaken };

/** One message taken: an HR fact recorded in its employee's desired record, a roster read, a check made. */
async function takeMessage(message: HrQueueMessage, deps: HrQueueDeps): Promise<Taken> {
  switch (message.kind) {
    case 'hold-decision':
      return { holdId: message.holdId };
    case 'okta':
      return takeOkta(message.event, deps);
    case 'roster-upload':
      return takeRoster(message.event, deps);
    case 'roster-chunk': {
      const { chunk } = message;
      const { networkId, employeeIds, recorded } = await takeRosterChunk(deps, rosterIntake(deps), chunk);
      return {
        employees: employeeIds.map((employeeId) => ({ networkId, employeeId })),
        chunk: { networkId, key: chunk.key, versionId: chunk.versionId, start: chunk.start, recorded },
      };
    }
    case 'unmatched-check':
      await checkUnmatched(deps, message);
      return {};
    case 'fact': {
      const { event } = message;
      const origin = deps.originIssues(event);
      if (origin.length > 0) throw new HrMessageRejectedError(origin);
      const { networkId, groupName } = destinationOf(event, deps);
      await deps.records.recordFact(factOf(event, networkId, groupName, deps.hr.adoptExistingUsers));
      return {
        employees: [{ networkId, employeeId: event.detail.employeeId }],
        fact: { eventId: event.id, groupName },
      };
    }
  }
}

/** An Okta System Log event: its person's fact recorded, or nothing (and why, in the log: ids only). */
async function takeOkta(event: OktaSystemLogEvent, deps: HrQueueDeps): Promise<Taken> {
  if (!deps.okta)
    throw new HrMessageRejectedError([
      {
        field: 'source',
        reason: 'Okta is not connected here: set both the oktaEventSource parameter and the policy’s sources.okta',
      },
    ]);
  const { employees, groupName, ignored } = await takeOktaMessage(event, deps, deps.okta);
  return {
    ...(employees ? { employees } : {}),
    fact: { eventId: event.id, groupName, ...(ignored ? { ignored } : {}) },
  };
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
async function takeRoster(event: RosterObjectCreated, deps: HrQueueDeps): Promise<Taken> {
  const intake = rosterIntake(deps);
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
  return {};
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

/** Says what one network's reconcile did: the log line, the metrics, the outcome events (ids only). */
async function report(deps: HrQueueDeps, networkId: string, reconciled: EmployeesReconciled) {
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

/**
 * The HR messages of one batch. First every message is taken on its own, in parallel (a fact recorded in its
 * employee's desired record, a roster read, a check made); then the employees touched are reconciled together,
 * network by network, with the fewest Wickr calls; then holds' decisions, against records that already hold this
 * batch's facts. A message fails only if it could not be taken or one of its employees could not be reconciled.
 */
export async function handleHrMessages(
  messages: readonly QueueMessage<HrQueueMessage>[],
  deps: HrQueueDeps,
): Promise<MessageFailures> {
  const failures = new Map<string, Error>();
  const taken = new Map<string, Taken>();
  await Promise.all(
    messages.map(async ({ messageId, message }) => {
      try {
        taken.set(messageId, await takeMessage(message, deps));
      } catch (error) {
        failures.set(messageId, error as Error);
      }
    }),
  );
  const byNetwork = new Map<string, Set<string>>();
  for (const { employees = [] } of taken.values()) {
    for (const { networkId, employeeId } of employees) {
      byNetwork.set(networkId, (byNetwork.get(networkId) ?? new Set()).add(employeeId));
    }
  }
  const failedEmployees = new Map<string, Error>();
  const actions = new Map<string, EmployeeOutcome>();
  for (const [networkId, ids] of byNetwork) {
    try {
      const reconciled = await reconcileEmployees(deps, networkId, [...ids]);
      for (const [id, error] of reconciled.failed) failedEmployees.set(`${networkId}/${id}`, error);
      for (const o of reconciled.outcomes) actions.set(`${networkId}/${o.employeeId}`, o);
      await report(deps, networkId, reconciled);
    } catch (error) {
      for (const id of ids) failedEmployees.set(`${networkId}/${id}`, error as Error);
    }
  }
  for (const [messageId, { holdId, employees = [], chunk, fact }] of taken) {
    if (holdId) {
      try {
        const settled = await applyHoldDecision(deps, holdId);
        deps.logger.info('Hold decision', { holdId, status: settled.status });
      } catch (error) {
        deps.logger.warn('Hold decision not carried out', { holdId, error: (error as Error).name });
        failures.set(messageId, error as Error);
      }
    }
    const failed = employees.find((e) => failedEmployees.has(`${e.networkId}/${e.employeeId}`));
    if (!failed) {
      if (chunk) await reportChunk(deps, chunk, employees, actions);
      if (fact) await answerFact(deps, fact, employees[0], actions);
      continue;
    }
    const error = failedEmployees.get(`${failed.networkId}/${failed.employeeId}`) as Error;
    deps.logger.warn('Employee not reconciled', { ...failed, error: error.name });
    failures.set(messageId, error);
  }
  return failures;
}

/** The employee a refused HR message names (its id only), for the batch's answer. */
function employeeOf(received: unknown): Record<string, string> | undefined {
  const employeeId = (received as { detail?: { employeeId?: unknown } } | null)?.detail?.employeeId;
  return typeof employeeId === 'string' ? { employeeId: employeeId.slice(0, 64) } : undefined;
}

/**
 * The HR queue's consumer: bodies parsed at the edge (refused naming the field), the batch handled by
 * `handleHrMessages`; a permanent failure goes to the failure queue with its reason and is not retried, a transient
 * one returns alone after the visibility timeout.
 */
export function handleHrQueue(event: QueueEvent, deps: HrQueueDeps): Promise<QueueAnswer> {
  return consumeBatch(event, {
    parse: parseHrQueueMessage,
    handle: (messages) => handleHrMessages(messages, deps),
    refuse: deps.refuse,
    subjectOf: employeeOf,
  });
}
