import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { handleHrQueue } from '../lib/hr/handle-hr-queue.js';
import { QueueEvent } from '../lib/queue-batch.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { parseEvent } from '../lib/runtime/middlewares.js';
import { hrDeps } from './compose/hr-deps.js';

/** Batches of HR facts from the HR queue → each employee's desired record, then their Wickr users reconciled. */
export const handler = middy<QueueEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(parseEvent(QueueEvent))
  .handler(async (event, context) => handleHrQueue(event, await hrDeps(context)));
