import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { IamFunctionUrlEvent } from '../lib/events/function-url-event.js';
import { answerOperatorUrl } from '../lib/operators/operator-url.js';
import { runtimeConfig } from '../lib/runtime/config.js';
import { logger } from '../lib/runtime/logger.js';
import { parseEvent } from '../lib/runtime/middlewares.js';
import { operatorDeps } from '../lib/runtime/operator-ports.js';

/** The operators' entry point (function URL, AWS_IAM): hold decisions, break-glass and containment, as the verified caller. */
export const handler = middy<IamFunctionUrlEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(parseEvent(IamFunctionUrlEvent))
  .handler(async (event) => answerOperatorUrl(event, operatorDeps(runtimeConfig())));
