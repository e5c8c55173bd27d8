/**
 * One AWS service spoken over its JSON protocol (`X-Amz-Target: <prefix>.<Operation>`) with a SigV4-signed fetch:
 * the few calls the functions make to SQS (SendMessage), EventBridge (PutEvents) and SSM (GetParameter) without SDK
 * clients in the bundles — about 55 KB of code each function compiled at every cold start, 76 KB more for SSM
 * (docs/performance-history.md, 2026-12-07). Retries as the SDK's standard mode does: three attempts, throttles,
 * 5xx and connection failures only, exponential back-off with full jitter.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AutomationError } from '../failure.js';
import { nodeProviderChain } from '../wickr/signer.js';
import { signedFetch } from './signed-fetch.js';

/** A service answered with an error (`__type`), or could not be reached. */
export class AwsServiceError extends AutomationError {
  override name = 'AwsServiceError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly type: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    // As for the SDK's errors before (lib/failure.ts): only a refused shape fails the same way every time.
    super(
      `${operation} failed: ${status || 'no answer'} ${type}${message ? `: ${message}` : ''}`,
      { retryable: !(status > 0 && status < 500 && type.endsWith('ValidationException')), code: 'AWS_CALL_FAILED' },
      options,
    );
  }
}

/** The services the functions call this way. */
const protocols = {
  sqs: { targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0', host: 'sqs' },
  events: { targetPrefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1', host: 'events' },
  ssm: { targetPrefix: 'AmazonSSM', contentType: 'application/x-amz-json-1.1', host: 'ssm' },
} as const;

export interface AwsJsonOptions {
  readonly region: string;
  /** The local stack's endpoint; AWS's regional one otherwise. */
  readonly endpoint?: string | undefined;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly fetchImpl?: typeof fetch;
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A JSON-protocol caller of one service: `call('SendMessage', input)` answers the operation's output. */
export type AwsJsonCall = <T = Record<string, unknown>>(operation: string, input: unknown) => Promise<T>;

const throttled = /Throttl|RequestThrottled|TooManyRequests|RequestLimitExceeded/;

export function awsJson(service: keyof typeof protocols, o: AwsJsonOptions): AwsJsonCall {
  const p = protocols[service];
  const send = signedFetch(service, o.region, o.credentials ?? nodeProviderChain, o.fetchImpl);
  const url = new URL('/', o.endpoint ?? `https://${p.host}.${o.region}.amazonaws.com`);
  const maxAttempts = o.maxAttempts ?? 3;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const once = async <T>(operation: string, body: string): Promise<T> => {
    let response: Response;
    try {
      response = await send(url, {
        method: 'POST',
        headers: { 'content-type': p.contentType, 'x-amz-target': `${p.targetPrefix}.${operation}` },
        body,
      });
    } catch (error) {
      throw new AwsServiceError(operation, 0, 'NetworkError', (error as Error).message, { cause: error });
    }
    const answer = (await response.json().catch(() => ({}))) as { __type?: string; message?: string; Message?: string };
    if (response.ok) return answer as T;
    const type = String(answer.__type ?? response.headers.get('x-amzn-errortype') ?? 'UnknownError')
      .split('#')
      .at(-1)
      ?.split(':')[0] as string;
    throw new AwsServiceError(operation, response.status, type, String(answer.message ?? answer.Message ?? ''));
  };
  return async <T>(operation: string, input: unknown) => {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      try {
        return await once<T>(operation, body);
      } catch (error) {
        const e = error as AwsServiceError;
        const transient = e.status === 0 || e.status >= 500 || e.status === 429 || throttled.test(e.type);
        if (!transient || attempt >= maxAttempts) throw error;
        await sleep(Math.random() * Math.min(20_000, 100 * 2 ** attempt));
      }
    }
  };
}
