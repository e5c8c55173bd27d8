import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { handleAccountEvent } from '../lib/containment/handle-account-event.js';
import { AccountEvent } from '../lib/events/account-events.js';
import { operatorActionsSource } from '../lib/events/operator-actions.js';
import { operatorsSource } from '../lib/holds/hold.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { metrics } from '../lib/runtime/metrics.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { containmentDeps } from './compose/containment-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/**
 * A compromised account → contained (suspended, devices signed out); its last case cleared → released exactly; the
 * sweep's tick → what someone undid by hand restored.
 */
export const handler = middy<AccountEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { correlationIdPath: 'detail.caseId', resetKeys: true }))
  .use(logMetrics(metrics))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(AccountEvent))
  .use(
    checkOrigin(() => ({
      sources: [
        d.config().incidentSource,
        operatorActionsSource,
        'aws.guardduty',
        d.config().oktaEventSource,
        operatorsSource,
        'aws.scheduler',
      ].filter(Boolean),
      maxFutureSkewMs: d.config().maxFutureSkewMs,
    })),
  )
  .handler(async (event, context) => handleAccountEvent(event, await containmentDeps(context)));
