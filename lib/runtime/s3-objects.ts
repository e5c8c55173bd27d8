/**
 * S3 objects over fetch: read as byte streams, a range at a time, with one signed GET (SigV4, unsigned payload),
 * and written with one signed PUT (the cockpit's roster upload): no S3 SDK in the bundle, only the signer the
 * Wickr client carries already.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AutomationError } from '../failure.js';
import type { RosterObjects } from '../hr/roster-intake.js';
import { nodeProviderChain } from '../wickr/signer.js';

/** S3 refused a read or a write: retryable when S3 may answer later (throttling, 5xx), not for 403/404. */
export class S3ReadError extends AutomationError {
  override name = 'S3ReadError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, {
      retryable: status === 429 || status === 503 || status >= 500,
      code: status === 404 ? 'S3_NOT_FOUND' : status === 403 ? 'S3_ACCESS_DENIED' : 'S3_READ_FAILED',
    });
  }
}

type ObjectRef = { bucket: string; key: string; versionId?: string | undefined };

/** S3 GetObject and PutObject over fetch; `endpoint` (path-style) for the local stand-in. */
export class S3Objects implements RosterObjects {
  readonly #signer: SignatureV4;

  constructor(
    private readonly region: string,
    private readonly endpoint?: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = nodeProviderChain,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    // S3 signs the path as sent (no second encoding) and accepts an unsigned payload on GET.
    this.#signer = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false });
  }

  async #send(method: 'GET' | 'HEAD' | 'PUT', object: ObjectRef, headers: Record<string, string>, body?: Uint8Array) {
    const path = object.key.split('/').map(encodeURIComponent).join('/');
    const url = this.endpoint
      ? new URL(`/${object.bucket}/${path}`, this.endpoint)
      : new URL(`https://${object.bucket}.s3.${this.region}.amazonaws.com/${path}`);
    const query: Record<string, string> = object.versionId ? { versionId: object.versionId } : {};
    const signed = await this.#signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    });
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const response = await this.fetchImpl(url, {
      method,
      headers: signed.headers as Record<string, string>,
      ...(body ? { body } : {}),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new S3ReadError(
        `S3 ${method === 'GET' ? 'GetObject' : 'PutObject'} of ${object.key} answered ${response.status}`,
        response.status,
      );
    }
    return response;
  }

  async *read(object: ObjectRef, range?: { start: number; end: number }): AsyncIterable<Uint8Array> {
    if (range && range.end <= range.start) return;
    const response = await this.#send('GET', object, range ? { range: `bytes=${range.start}-${range.end - 1}` } : {});
    if (!response.body) throw new S3ReadError(`S3 GetObject of ${object.key} had no body`, 502);
    for await (const chunk of response.body) yield chunk as Uint8Array;
  }

  async head(object: ObjectRef): Promise<{ lastModified: string; size: number }> {
    const response = await this.#send('HEAD', object, {});
    const modified = Date.parse(response.headers.get('last-modified') ?? '');
    if (Number.isNaN(modified)) throw new S3ReadError(`S3 HeadObject of ${object.key} had no Last-Modified`, 502);
    return {
      lastModified: new Date(modified).toISOString(),
      size: Number(response.headers.get('content-length') ?? 0),
    };
  }

  /** Puts a new version of an object; answers its version id (empty where the bucket is not versioned). */
  async put(object: ObjectRef, body: Uint8Array): Promise<{ versionId: string; etag: string }> {
    const response = await this.#send('PUT', object, { 'content-length': String(body.length) }, body);
    return {
      versionId: response.headers.get('x-amz-version-id') ?? '',
      etag: (response.headers.get('etag') ?? '').replaceAll('"', ''),
    };
  }
}
