/**
 * One invocation of a deployed bundle in a process of its own, as a Lambda execution environment runs it: the
 * handler imported, called with the event and a context, and the process's peak RSS read when it returns.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { functionAccessKey, type LocalStack } from '../../infra/local/local-stack.js';

const run = promisify(execFile);

/** Invokes the bundle's handler once with `event`; answers the handler's result, peak RSS and wall time. */
export async function invokeInProcess<R>(
  bundleFile: string,
  functionName: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
  /** The account of the function's ARN: its handler admits only events of its own account. */
  account = '000000000000',
): Promise<{ peakRssKb: number; result: R; wallMs: number }> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
    const deadline = Date.now() + 900000;
    const result = await handler(${JSON.stringify(event)}, {
      functionName: ${JSON.stringify(functionName)}, awsRequestId: crypto.randomUUID(), memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:${account}:function:${functionName}',
      getRemainingTimeInMillis: () => deadline - Date.now(),
    });
    process.stdout.write(String.fromCharCode(10) + JSON.stringify({ peakRssKb: process.resourceUsage().maxRSS, result }));`;
  const started = Date.now();
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  // The handler's metrics (EMF lines) go to stdout before it returns: the figures are the last line.
  const { peakRssKb, result } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { peakRssKb: number; result: R };
  return { peakRssKb, result, wallMs: Date.now() - started };
}

/** A function's environment against a local stack, signed as its role, with the heap sizing it is deployed with. */
export function stackEnvironment(stack: LocalStack, functionName: string): Record<string, string> {
  const env = (name: string) => String(stack.service.providerEnvironment[name]);
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: functionAccessKey(functionName),
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    ALLOW_LOCAL_ENDPOINTS: 'true',
    WICKR_ENDPOINT: stack.wickrEndpoint,
    DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
    EVENTBRIDGE_ENDPOINT: stack.eventBridgeEndpoint,
    SQS_ENDPOINT: stack.eventBridgeEndpoint,
    S3_ENDPOINT: stack.s3Endpoint,
    EVENT_BUS_NAME: stack.busName,
    STATE_TABLE: env('STATE_TABLE'),
    IDEMPOTENCY_TABLE: env('IDEMPOTENCY_TABLE'),
    NODE_OPTIONS: env('NODE_OPTIONS'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}
