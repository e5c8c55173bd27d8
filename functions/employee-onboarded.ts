import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { EmployeeOnboardedEvent } from '../lib/events/hr-events.js';
import { onboardEmployee } from '../lib/hr/handle-hr.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { hrDeps } from './compose/hr-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** `Employee Onboarded` → the department's group exists and the user is in it. */
export const handler = middy<EmployeeOnboardedEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { correlationIdPath: 'detail.employeeId', resetKeys: true }))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(EmployeeOnboardedEvent))
  .use(checkOrigin(() => ({ sources: [d.config().hrSource], maxFutureSkewMs: d.config().maxFutureSkewMs })))
  .handler(async (event, context) => onboardEmployee(event, await hrDeps(context)));
