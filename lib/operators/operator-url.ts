/** The operators' entry point as HTTP: a POST from a caller AWS authenticated, answered with what was done or why not. */
import type { IamFunctionUrlEvent } from '../events/function-url-event.js';
import { OperatorRefusedError } from './errors.js';
import { handleOperatorRequest, type OperatorDeps } from './handle-operator-request.js';
import { operatorRequestOf } from './operator-request.js';

/** A function URL's answer. */
export interface UrlAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const answer = (statusCode: number, body: unknown): UrlAnswer => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Answers one request: 200 with what was done, or the refusal's status with its one line; nothing else is said. */
export async function answerOperatorUrl(event: IamFunctionUrlEvent, deps: OperatorDeps): Promise<UrlAnswer> {
  if (event.requestContext.http.method.toUpperCase() !== 'POST') {
    return answer(405, { refused: 'method: must be POST' });
  }
  const caller = { arn: event.requestContext.authorizer.iam.userArn };
  try {
    const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    return answer(200, await handleOperatorRequest(operatorRequestOf(body), caller, deps));
  } catch (error) {
    if (!(error instanceof OperatorRefusedError)) throw error;
    deps.logger.warn('Operator request refused', { status: error.status, reason: error.message });
    return answer(error.status, { refused: error.message });
  }
}
