import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { IncidentSourceEvent } from '../lib/events/incident-source-event.js';
import { pagerDutyWebhookSource } from '../lib/events/pagerduty-events.js';
import { handleIncidentSource } from '../lib/incident/handle-incident-source.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { invocationOf, securityHubDeps } from './compose/incident-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** Security Hub findings and PagerDuty incidents → declare, update or resolve incidents (each enabled per deployment). */
export const handler = middy<IncidentSourceEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(IncidentSourceEvent))
  .use(
    checkOrigin(() => ({
      sources: ['aws.securityhub', d.config().pagerDutyEventSource, pagerDutyWebhookSource].filter(Boolean),
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event, context) =>
    handleIncidentSource(event, invocationOf(context), await securityHubDeps(context)),
  );
