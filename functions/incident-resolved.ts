import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { IncidentResolvedEvent } from '../lib/events/incident-events.js';
import { operatorActionsSource } from '../lib/events/operator-actions.js';
import { resolveIncident } from '../lib/incident/handle-incident.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { incidentDeps, invocationOf } from './compose/incident-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** `Incident Resolved` → restore the networks once no incident remains active on them. */
export const handler = middy<IncidentResolvedEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { correlationIdPath: 'detail.incidentId', resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(IncidentResolvedEvent))
  .use(
    checkOrigin(() => ({
      sources: [d.config().incidentSource, operatorActionsSource],
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event, context) => resolveIncident(event, invocationOf(context), await incidentDeps(context)));
