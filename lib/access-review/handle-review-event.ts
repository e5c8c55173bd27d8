/** The access review function's one use case: what each of its events asks for. */
import { type ReviewEvent, reviewSource } from '../events/review-events.js';
import { operatorsSource } from '../holds/hold.js';
import { applyReviewHold } from './apply-review-hold.js';
import { AccessReviewError, AccessReviewInputError } from './errors.js';
import type { ReviewDeps } from './ports.js';
import { newRun, reviewSegment } from './review-network.js';

const sourceOf: Record<ReviewEvent['detail-type'], string> = {
  'Scheduled Event': 'aws.scheduler',
  'Wickr Access Review Requested': operatorsSource,
  'Wickr Access Review Continued': reviewSource,
  'Wickr Hold Decision': operatorsSource,
};

/**
 * A schedule tick or an operator's request starts a run per network (each in its own invocation, handed over at
 * once); a hand-over goes on with its run; a decision on a review hold is carried out.
 */
export async function handleReviewEvent(event: ReviewEvent, deps: ReviewDeps) {
  const expected = sourceOf[event['detail-type']];
  if (event.source !== expected) {
    // Each kind has one sender: a hand-over only from the review itself, a tick only from Scheduler.
    throw new AccessReviewError(`source must be ${expected} for ${event['detail-type']}`, {
      retryable: false,
      code: 'WRONG_SOURCE',
    });
  }
  switch (event['detail-type']) {
    case 'Wickr Hold Decision':
      return applyReviewHold(deps, event.detail.holdId);
    case 'Wickr Access Review Continued':
      return reviewSegment(deps, event.detail);
    default: {
      const request = event['detail-type'] === 'Wickr Access Review Requested' ? event.detail : undefined;
      if (request?.networkId && !deps.networkIds.includes(request.networkId)) {
        throw new AccessReviewInputError('detail.networkId', 'must be a network of the policy file');
      }
      const networkIds = request?.networkId ? [request.networkId] : deps.networkIds;
      const runs = networkIds.map((n) => newRun(n, event.time, request ? event.id : undefined));
      for (const run of runs) {
        await deps.once({ step: 'access-review-start', runId: run.runId }, async () => {
          await deps.handover.continueRun(run);
          return {};
        });
      }
      deps.logger.info('Access review started', { runs: runs.map((r) => r.runId), requestedBy: request?.requestedBy });
      return { started: runs.map((r) => r.runId) };
    }
  }
}
