/** The operators' entry point's ports: the holds in the state table, the project's bus, the clock and its principals. */
import { operatorActionsSource } from '../events/operator-actions.js';
import { holdDecisionDetailType, operatorsSource } from '../holds/hold.js';
import type { OperatorDeps } from '../operators/handle-operator-request.js';
import { HoldStore } from '../store/hold-store.js';
import type { RuntimeConfig } from './config.js';
import { dependencies } from './dependencies.js';
import { logger } from './logger.js';
import { eventBridgePutEvents, OutcomePublishError } from './outcome-publisher.js';

/** The entry point's dependencies for this execution environment. */
export function operatorDeps(c: RuntimeConfig): OperatorDeps {
  const putEvents = eventBridgePutEvents(c.region, c.eventBridgeEndpoint, c.localAccessKeyId);
  const put = async (source: string, detailType: string, detail: Readonly<Record<string, unknown>>) => {
    const answer = await putEvents([
      { EventBusName: c.eventBusName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
    ]);
    const entry = answer.Entries?.[0];
    if (!entry?.EventId)
      throw new OutcomePublishError(`the bus refused ${detailType}: ${entry?.ErrorCode ?? 'no answer'}`);
    return entry.EventId;
  };
  return {
    holds: new HoldStore(dependencies.documentDb(), c.stateTable),
    operatorsRoleArn: c.operatorsRoleArn,
    incidentPublishers: c.incidentPublishers,
    clock: { now: Date.now },
    nudge: async (hold) => {
      await put(operatorsSource, holdDecisionDetailType, {
        kind: 'hold-decision',
        holdId: hold.holdId,
        capability: hold.capability,
      });
    },
    putFact: (detailType, detail) => put(operatorActionsSource, detailType, detail),
    logger,
  };
}
