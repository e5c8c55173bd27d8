/**
 * S3 objects over fetch: read as byte streams, a range at a time, with one signed GET (SigV4, unsigned payload),
 * and written with one signed PUT (the cockpit's roster upload): no S3 SDK in the bundle, only the signer the
 * Wickr client carries already.
 */
import { createHash } from 'node:crypto';
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

  async #send(
    method: 'GET' | 'HEAD' | 'PUT',
    object: ObjectRef,
    headers: Record<string, string>,
    body?: Uint8Array,
    query: Record<string, string> = object.versionId ? { versionId: object.versionId } : {},
  ) {
    const path = object.key.split('/').map(encodeURIComponent).join('/');
    const url = this.endpoint
      ? new URL(`/${object.bucket}/${path}`, this.endpoint)
      : new URL(`https://${object.bucket}.s3.${this.region}.amazonaws.com/${path}`);
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
      const operation = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject' }[method];
      throw new S3ReadError(
        `S3 ${object.key ? operation : 'ListObjectVersions'} of ${object.key || object.bucket} answered ${response.status}`,
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

  /**
   * Puts a new version of an object; answers its version id (empty where the bucket is not versioned). Always with
   * `Content-MD5`, which S3 requires of a write to an Object Lock bucket; `ifNoneMatch` writes only where there is
   * no object yet (S3's conditional write: 412 otherwise); `retainUntil` locks the version in compliance mode.
   */
  async put(object: ObjectRef, body: Uint8Array, options: { ifNoneMatch?: boolean; retainUntil?: Date } = {}) {
    const headers = {
      'content-length': String(body.length),
      'content-md5': createHash('md5').update(body).digest('base64'),
      ...(options.ifNoneMatch ? { 'if-none-match': '*' } : {}),
      ...(options.retainUntil
        ? {
            'x-amz-object-lock-mode': 'COMPLIANCE',
            'x-amz-object-lock-retain-until-date': options.retainUntil.toISOString(),
          }
        : {}),
    };
    const response = await this.#send('PUT', object, headers, body);
    return {
      versionId: response.headers.get('x-amz-version-id') ?? '',
      etag: (response.headers.get('etag') ?? '').replaceAll('"', ''),
    };
  }

  /** Every version of the objects under `prefix` (ListObjectVersions, one page of up to 1,000, then the next). */
  async listVersions(bucket: string, prefix: string): Promise<ObjectVersion[]> {
    const versions: ObjectVersion[] = [];
    let marker: Record<string, string> = {};
    for (;;) {
      const response = await this.#send('GET', { bucket, key: '' }, {}, undefined, { versions: '', prefix, ...marker });
      const xml = await response.text();
      for (const [, body = ''] of xml.matchAll(/<Version>([\s\S]*?)<\/Version>/g)) {
        const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1] ?? '';
        versions.push({ key: field('Key'), versionId: field('VersionId'), lastModified: field('LastModified') });
      }
      if (!/<IsTruncated>true<\/IsTruncated>/.test(xml)) return versions;
      const next = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
      marker = { 'key-marker': next('NextKeyMarker'), 'version-id-marker': next('NextVersionIdMarker') };
    }
  }
}

/** One version of an object, as ListObjectVersions lists it. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: string;
}
