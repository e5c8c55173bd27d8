import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { handleReviewEvent } from '../lib/access-review/handle-review-event.js';
import { ReviewEvent, reviewSource } from '../lib/events/review-events.js';
import { operatorsSource } from '../lib/holds/hold.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { refusalPorts } from './compose/refusal-ports.js';
import { reviewDeps } from './compose/review-deps.js';

/**
 * A schedule tick or an operator's request → every account of each network classified against the HR records, the
 * report in the reports bucket; its own hand-overs → the run goes on; a decision on a review hold → carried out.
 */
export const handler = middy<ReviewEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(ReviewEvent))
  .use(
    checkOrigin(() => ({
      sources: ['aws.scheduler', operatorsSource, reviewSource],
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event, context) => handleReviewEvent(event, await reviewDeps(context)));
