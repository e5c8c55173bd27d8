/**
 * Runs inside a worker thread: one Lambda execution environment of one function. Loads the handler module
 * once (its cold start) and answers invocations with a Lambda-like context.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// Handlers are TypeScript importing `.js` specifiers; tsx resolves them to their `.ts` sources.
register();

interface WorkerData {
  readonly modulePath: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly memorySize: number;
  readonly region: string;
  readonly environmentId: string;
}
interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly requestId: string;
  readonly deadlineMs: number;
}

const data = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('function-worker runs only as a worker thread');

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let handler: Handler;
try {
  const module = (await import(pathToFileURL(data.modulePath).href)) as Record<string, unknown>;
  const exported = module[data.exportName];
  if (typeof exported !== 'function') throw new Error(`${data.modulePath} exports no function ${data.exportName}`);
  handler = exported as Handler;
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: { name: (error as Error).name, message: (error as Error).message } });
  process.exit(1);
}

port.on('message', async (message: InvokeMessage) => {
  const context = {
    functionName: data.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${data.region}:000000000000:function:${data.functionName}`,
    memoryLimitInMB: String(data.memorySize),
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: `local/[$LATEST]${data.environmentId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(message.event, context);
    port.postMessage({
      id: message.id,
      ok: true,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
    });
  } catch (error) {
    const e = error as Error;
    port.postMessage({
      id: message.id,
      ok: false,
      error: { name: e?.name ?? 'Error', message: e?.message ?? String(error) },
    });
  }
});
