import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { anchorHeads } from '../lib/audit/anchor-heads.js';
import { ScheduledEvent } from '../lib/events/scheduled-event.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { anchorDeps } from './compose/anchor-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** The hourly tick → every outcome stream's chain head anchored in the Object Lock bucket. */
export const handler = middy<ScheduledEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(ScheduledEvent))
  .use(checkOrigin(() => ({ sources: ['aws.events', 'aws.scheduler'], maxFutureSkewMs: d.config().maxFutureSkewMs })))
  .handler(async (event) => anchorHeads(anchorDeps(), event['detail-type']));
