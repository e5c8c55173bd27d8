/**
 * The operators' entry point's use case: a request from a caller AWS authenticated, carried out only if that caller
 * may — the operators' role decides holds; the incident publishers declare, resolve and override; both contain and
 * release accounts — and answered with what was done.
 */

import type { OperatorFactType } from '../events/operator-actions.js';
import type { HoldDecision } from '../holds/hold.js';
import type { DecisionLog } from '../ports.js';
import { type Caller, callerIs, callerIsAny } from './caller.js';
import { type DecideHoldDeps, decideHold } from './decide-hold.js';
import { OperatorRefusedError } from './errors.js';
import type { OperatorRequest } from './operator-request.js';

/** What the entry point needs. */
export interface OperatorDeps extends DecideHoldDeps {
  readonly incidentPublishers: readonly string[];
  /** Puts a fact on the project's bus under the entry point's source; its event id. */
  readonly putFact: (detailType: OperatorFactType, detail: Readonly<Record<string, unknown>>) => Promise<string>;
  readonly logger: DecisionLog;
}

/** What was done: the decision recorded, or the fact put (its event id, for the caller to wait on its outcome). */
export type OperatorAnswer =
  | { readonly decided: HoldDecision }
  | { readonly eventId: string; readonly detailType: OperatorFactType; readonly requestedBy: string };

/** Who may ask for each fact. */
function mayPut(detailType: OperatorFactType, caller: Caller, deps: OperatorDeps): boolean {
  const publisher = callerIsAny(caller.arn, deps.incidentPublishers);
  const operator = deps.operatorsRoleArn !== undefined && callerIs(caller.arn, deps.operatorsRoleArn);
  if (detailType.startsWith('Incident ')) return publisher;
  // What the posture should be is the operators' to say: an incident tool accepting drift would hide it.
  if (detailType === 'Posture Accept Requested') return operator;
  return publisher || operator;
}

const whoMay = (detailType: OperatorFactType) =>
  detailType.startsWith('Incident ')
    ? 'the incident publishers (incidentPublishers)'
    : detailType === 'Posture Accept Requested'
      ? 'the operators (operatorsRoleArn)'
      : 'the operators or the incident publishers (incidentPublishers, operatorsRoleArn)';

/** Carries out one request for `caller`, or refuses it (OperatorRefusedError, nothing written). */
export async function handleOperatorRequest(
  request: OperatorRequest,
  caller: Caller,
  deps: OperatorDeps,
): Promise<OperatorAnswer> {
  if (request.action === 'decide-hold') {
    const decided = await decideHold(request, caller, deps);
    deps.logger.info('Hold decided', {
      holdId: decided.holdId,
      decision: decided.decision,
      revision: decided.revision,
    });
    return { decided };
  }
  const { detailType, detail } = request;
  if (!mayPut(detailType, caller, deps)) {
    throw new OperatorRefusedError(`${caller.arn} may not put ${detailType}: only ${whoMay(detailType)}`, 403);
  }
  const eventId = await deps.putFact(detailType, { ...detail, requestedBy: caller.arn });
  deps.logger.info('Operator fact put', { detailType, eventId, override: detail.override === true });
  return { eventId, detailType, requestedBy: caller.arn };
}
