import type { FunctionUrlEvent } from '../events/function-url-event.js';
import type { WebhookRequest } from './handle-webhook.js';

/** The request a function URL event carries, its body as the raw bytes that were signed. */
export function webhookRequestOf(event: FunctionUrlEvent): WebhookRequest {
  const body =
    event.body === undefined ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    headers: Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}
