import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { FunctionUrlEvent } from '../lib/events/function-url-event.js';
import { logger } from '../lib/runtime/logger.js';
import { parseEvent } from '../lib/runtime/middlewares.js';
import { handleWebhook } from '../lib/webhooks/handle-webhook.js';
import { webhookRequestOf } from '../lib/webhooks/webhook-request.js';
import { webhookDeps } from './compose/webhook-deps.js';

/** Signed webhooks (PagerDuty V3, any tool) on the function URL → events on the project's bus. */
export const handler = middy<FunctionUrlEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(parseEvent(FunctionUrlEvent))
  .handler(async (event) => handleWebhook(webhookRequestOf(event), webhookDeps()));
