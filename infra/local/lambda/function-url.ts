/**
 * A Lambda function URL, as AWS serves one with `AuthType: NONE`: any method and path on its own address, the
 * request handed to the function as payload format 2.0 (`version`, `rawPath`, `rawQueryString`, lower-case
 * `headers`, `requestContext.http` with method, path and source IP, `body` — text for text content types, else
 * base64 with `isBase64Encoded`), the function's answer mapped back (an object with `statusCode` as given; anything
 * else as 200 with a JSON body; a failed invocation as 502). Bodies are bounded at 6 MB, Lambda's request limit.
 * With `AuthType: AWS_IAM`, as AWS: a request without a valid SigV4 signature (service `lambda`) is answered 403
 * before the function runs, and the caller's principal reaches it in `requestContext.authorizer.iam`.
 * Not emulated: CORS, response streaming, the function's resource policy (the function checks its callers itself).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyBytes } from '../read-body.js';
import type { InvocationLog } from './invocation-log.js';
import type { LambdaFunction } from './lambda-function.js';

const maxRequestBytes = 6 * 1024 * 1024;
const textTypes = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))/i;

/** Who signed a request, as the local stack's identities say, or why the signature is refused. */
export type UrlAuthenticator = (
  req: IncomingMessage,
  body: Buffer,
) => Promise<{ readonly userArn: string; readonly accessKeyId: string } | { readonly refused: string }>;

/** The payload format 2.0 event for a request. */
export function functionUrlEvent(
  req: IncomingMessage,
  body: Buffer,
  functionUrlHost: string,
  iam?: { readonly userArn: string; readonly accessKeyId: string },
) {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const text = textTypes.test(headers['content-type'] ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: functionUrlHost,
      domainName: functionUrlHost,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      ...(iam
        ? {
            authorizer: {
              iam: {
                accessKey: iam.accessKeyId,
                accountId: iam.userArn.split(':')[4] ?? '',
                callerId: iam.accessKeyId,
                userArn: iam.userArn,
                userId: iam.accessKeyId,
              },
            },
          }
        : {}),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** Serves a function's URL on a loopback port; returns its address and a way to stop it. */
export async function serveFunctionUrl(
  fn: LambdaFunction,
  port = 0,
  authenticate?: UrlAuthenticator,
  log?: InvocationLog,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const body = await readBodyBytes(req, maxRequestBytes).catch(() => undefined);
    if (!body) {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"Request Entity Too Large"}');
      return;
    }
    const host = String(req.headers.host ?? 'localhost');
    const iam = authenticate ? await authenticate(req, body) : undefined;
    if (iam && 'refused' in iam) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: iam.refused }));
      return;
    }
    const requestId = randomUUID();
    const invocation = await fn.invoke(functionUrlEvent(req, body, host, iam), requestId);
    // Listed with every other invocation (`/_local/invocations`, the --serve stream), its answer's status as its type.
    const status =
      (invocation.result.ok ? (invocation.result.result as { statusCode?: unknown })?.statusCode : 502) ?? 200;
    log?.add(invocation, {
      functionName: fn.definition.name,
      trigger: 'url',
      eventId: requestId,
      detailType: `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://local').pathname} → ${String(status)}`,
      attempt: 1,
      requestId,
    });
    if (!invocation.result.ok) {
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}');
      return;
    }
    const value = invocation.result.result as
      | { statusCode?: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }
      | undefined;
    if (value && typeof value === 'object' && typeof value.statusCode === 'number') {
      const payload =
        value.body === undefined ? '' : value.isBase64Encoded ? Buffer.from(value.body, 'base64') : value.body;
      res.writeHead(value.statusCode, value.headers ?? {}).end(payload);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value ?? null));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
