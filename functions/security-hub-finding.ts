import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { SecurityHubFindingsImportedEvent } from '../lib/events/security-hub-events.js';
import { handleSecurityHubFindings } from '../lib/incident/handle-security-hub.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { invocationOf, securityHubDeps } from './compose/incident-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** Security Hub findings → declare or resolve incidents (enabled per deployment). */
export const handler = middy<SecurityHubFindingsImportedEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(SecurityHubFindingsImportedEvent))
  .use(checkOrigin(() => ({ sources: ['aws.securityhub'], maxFutureSkewMs: d.config().maxFutureSkewMs })))
  .handler(async (event, context) =>
    handleSecurityHubFindings(event, invocationOf(context), await securityHubDeps(context)),
  );
