import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ScheduledEvent } from '../lib/events/scheduled-event.js';
import { rotatePolicy } from '../lib/rotation/handle-rotation.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { refusalPorts } from './compose/refusal-ports.js';
import { rotationDeps } from './compose/rotation-deps.js';

/** A schedule tick → every network converges on the policy as it stands at the tick's time. */
export const handler = middy<ScheduledEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(ScheduledEvent))
  .use(
    checkOrigin(() => ({
      sources: ['aws.events', 'aws.scheduler'],
      // Only AWS may put aws.* sources; a tick's time is the schedule's own, and may be any chosen time.
      maxFutureSkewMs: Number.POSITIVE_INFINITY,
    })),
  )
  .handler(async (event, context) => rotatePolicy(event, await rotationDeps(context)));
