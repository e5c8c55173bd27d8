import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { continueReconciles } from '../lib/incident/handle-reconcile-queue.js';
import { QueueEvent } from '../lib/queue-batch.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { parseEvent } from '../lib/runtime/middlewares.js';
import { incidentDeps, invocationOf } from './compose/incident-deps.js';

/** A network handed on by an incident function (or by itself) → reconciled in a fresh invocation. */
export const handler = middy<QueueEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(parseEvent(QueueEvent))
  .handler(async (event, context) => continueReconciles(event, invocationOf(context), await incidentDeps(context)));
