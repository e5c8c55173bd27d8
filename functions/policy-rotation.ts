import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { RotationEvent } from '../lib/events/rotation-event.js';
import { operatorsSource } from '../lib/holds/hold.js';
import { handleRotationEvent } from '../lib/rotation/handle-rotation-event.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { refusalPorts } from './compose/refusal-ports.js';
import { rotationDeps } from './compose/rotation-deps.js';

/**
 * A schedule tick → every network converges on the policy as it stands at the tick's time (and the holds are swept);
 * an operator's decision on a rotation hold → carried out.
 */
export const handler = middy<RotationEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(RotationEvent))
  .use(
    checkOrigin(() => ({
      sources: ['aws.events', 'aws.scheduler', operatorsSource],
      // A tick is the schedule's own time: a direct invocation dated ahead would apply a future window early.
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event, context) => handleRotationEvent(event, await rotationDeps(context)));
