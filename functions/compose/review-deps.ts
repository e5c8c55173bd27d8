import type { Context } from 'aws-lambda';
import type { ReviewDeps } from '../../lib/access-review/ports.js';
import { reviewSource } from '../../lib/events/review-events.js';
import { dependencies as d } from '../../lib/runtime/dependencies.js';
import { idempotencyStore } from '../../lib/runtime/idempotency-store.js';
import { metricsPort } from '../../lib/runtime/metrics.js';
import { EventBridgeOutcomePublisher, eventBridgePutEvents } from '../../lib/runtime/outcome-publisher.js';
import { reportObjects } from '../../lib/runtime/report-objects.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { HoldStore } from '../../lib/store/hold-store.js';
import { idempotentSteps } from '../../lib/store/idempotency.js';
import { ProvisionedUsersStore } from '../../lib/store/provisioned-users-store.js';

/** Time left in an invocation at which a run stops reading and hands over: a page of GetUsers and the part's PUT. */
const handoverMarginMs = 30_000;

/** The access review's dependencies for one invocation. */
export async function reviewDeps(context: Context): Promise<ReviewDeps> {
  const policy = await d.policy();
  const c = d.config();
  const continuations = new EventBridgeOutcomePublisher(
    eventBridgePutEvents(c.region, c.eventBridgeEndpoint, c.localAccessKeyId),
    c.eventBusName,
    reviewSource,
    c.functionName,
  );
  const s3 = new S3Objects(
    c.region,
    c.s3Endpoint,
    c.localEndpoints ? { accessKeyId: c.localAccessKeyId, secretAccessKey: 'local' } : undefined,
  );
  return {
    wickr: d.wickr(),
    reports: reportObjects(s3, c.reportsBucket, c.evidenceRetentionDays),
    accounts: new ProvisionedUsersStore(d.documentDb(), c.stateTable),
    rules: policy.accessReview,
    networkIds: policy.networks.map((n) => n.networkId),
    holds: new HoldStore(d.documentDb(), c.stateTable),
    holdMs: policy.safeguards.holdHours * 3_600_000,
    handover: { continueRun: (run) => continuations.publish('Wickr Access Review Continued', run) },
    once: idempotentSteps(idempotencyStore(), context, undefined, 'review').once,
    stopAtMs: Date.now() + context.getRemainingTimeInMillis() - handoverMarginMs,
    requestsInFlight: c.wickrRequestsInFlight,
    nowMs: Date.now,
    publisher: d.publisher(),
    metrics: metricsPort,
    logger: d.logger(),
  };
}
