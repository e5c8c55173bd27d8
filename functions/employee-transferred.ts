import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { EmployeeTransferredEvent } from '../lib/events/hr-events.js';
import { transferEmployee } from '../lib/hr/handle-hr.js';
import { dependencies as d } from '../lib/runtime/dependencies.js';
import { logger } from '../lib/runtime/logger.js';
import { checkOrigin, parseEvent, refusePermanentFailures } from '../lib/runtime/middlewares.js';
import { hrDeps } from './compose/hr-deps.js';
import { refusalPorts } from './compose/refusal-ports.js';

/** `Employee Transferred` → the user moves to the new department group. */
export const handler = middy<EmployeeTransferredEvent, unknown, Error, Context>()
  .use(injectLambdaContext(logger, { correlationIdPath: 'detail.employeeId', resetKeys: true }))
  .use(refusePermanentFailures(refusalPorts))
  .use(parseEvent(EmployeeTransferredEvent))
  .use(checkOrigin(() => ({ sources: [d.config().hrSource], maxFutureSkewMs: d.config().maxFutureSkewMs })))
  .handler(async (event, context) => transferEmployee(event, await hrDeps(context)));
