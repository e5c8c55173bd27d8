import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { operatorActionsSource } from '../lib/events/operator-actions.js';
import { PostureEvent } from '../lib/events/posture-events.js';
import { handlePostureEvent } from '../lib/posture/handle-posture-event.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { postureDeps } from './compose/posture-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/**
 * The hourly tick → every managed network's posture compared with its baseline, drift said once and
 * counted every time; an operator's accept (the entry point's) → one network's baseline re-recorded in their name.
 */
export const handler = middy<PostureEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(PostureEvent))
  .use(
    checkOrigin(() => ({
      sources: ['aws.events', 'aws.scheduler', operatorActionsSource],
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event) => handlePostureEvent(event, await postureDeps()));
