import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ReconcileQueueEvent } from '../lib/events/reconcile-unit-message.js';
import { continueReconciles } from '../lib/incident/handle-reconcile-queue.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { parseEvent } from '../lib/runtime/middlewares.js';
import { incidentDeps, invocationOf } from './compose/incident-deps.js';

/** A network handed on by an incident function (or by itself) → reconciled in a fresh invocation. */
export const handler = middy<ReconcileQueueEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(parseEvent(ReconcileQueueEvent))
  .handler(async (event, context) => continueReconciles(event, invocationOf(context), await incidentDeps(context)));
