/**
 * A stand-in for the S3 calls the project makes, path-style (`/{bucket}/{key}`), as S3's API reference documents
 * them: PutObject (a new version each time on a versioned bucket: `x-amz-version-id`, a quoted MD5 `ETag`),
 * GetObject and HeadObject (`versionId`, `Range: bytes=a-b` → 206 with `Content-Range`, an unsatisfiable range →
 * 416, `NoSuchKey`/`NoSuchBucket` → 404 with S3's XML error), and EventBridge notifications (`Object Created` on
 * the default bus for a bucket whose `EventBridgeConfiguration` is on). Conditional writes: `If-None-Match: *` on a
 * key that has an object → 412. DeleteObject: without `versionId` a delete marker (GET then answers 404), with one
 * the version removed. ListObjectVersions (`?versions&prefix=`, versions and delete markers, one page).
 * Object Lock in compliance mode, as S3 documents it: a write needs `Content-MD5` (checked) or a checksum header;
 * each version is retained until the bucket's default retention or the request's `x-amz-object-lock-*` headers say;
 * deleting a retained version → 403 AccessDenied (nobody may, root included); a delete marker or a new version is
 * allowed and leaves the retained one as it was. Not emulated: signatures (any SigV4 caller is accepted), bucket
 * policies (TLS-only and the uploaders' deny are held by the template tests), governance mode and legal holds,
 * PutObjectRetention, encryption, multipart uploads, `aws-chunked` bodies (refused), listing past one page of 1,000,
 * ListObjectsV2; objects live in memory, 64 MB at most.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bucket the stack defines: its name, whether S3 tells EventBridge of its objects, and its Object Lock. */
export interface LocalBucket {
  readonly name: string;
  readonly eventBridge: boolean;
  /** Object Lock is on: versions may be retained (compliance mode), by default for these days when given. */
  readonly objectLock?: { readonly defaultRetentionDays?: number } | undefined;
}

interface StoredVersion {
  readonly versionId: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
  readonly retainUntil?: Date | undefined;
  readonly deleteMarker?: boolean;
}

/** What S3 sends EventBridge for a new object (the `Object Created` detail). */
export interface ObjectCreated {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly versionId: string;
  readonly sequencer: string;
}

const maxObjectBytes = 64 * 1024 * 1024;

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/** The local S3. `onCreated` hears of each new object of a bucket with EventBridge notifications on. */
export class LocalS3 {
  readonly #objects = new Map<string, StoredVersion[]>();
  readonly #buckets: Map<string, LocalBucket>;
  #server: Server | undefined;
  #sequence = 0;
  endpoint = '';
  /** Requests answered, by S3's price class: `PUT` (PUT, POST, LIST) and `GET` (GET, HEAD), and DELETE (free). */
  readonly requests = { PUT: 0, GET: 0, DELETE: 0 };

  constructor(
    buckets: readonly LocalBucket[],
    private readonly onCreated: (object: ObjectCreated) => void,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.#buckets = new Map(buckets.map((b) => [b.name, b]));
  }

  /** Stores a new version of an object, as PutObject does, and notifies; retained as the bucket's lock says. */
  put(bucket: string, key: string, body: Buffer, retainUntil?: Date): StoredVersion {
    const versions = this.#objects.get(`${bucket}/${key}`) ?? [];
    const days = this.#buckets.get(bucket)?.objectLock?.defaultRetentionDays;
    const version: StoredVersion = {
      versionId: randomUUID().replace(/-/g, ''),
      body,
      etag: createHash('md5').update(body).digest('hex'),
      lastModified: new Date(this.nowMs()),
      retainUntil: retainUntil ?? (days ? new Date(this.nowMs() + days * 86_400_000) : undefined),
    };
    versions.push(version);
    this.#objects.set(`${bucket}/${key}`, versions);
    if (this.#buckets.get(bucket)?.eventBridge) {
      this.#sequence++;
      this.onCreated({
        bucket,
        key,
        size: body.length,
        etag: version.etag,
        versionId: version.versionId,
        sequencer: this.#sequence.toString(16).toUpperCase().padStart(18, '0'),
      });
    }
    return version;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const definition = this.#buckets.get(bucket);
    if (!definition) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const priced = req.method === 'DELETE' ? 'DELETE' : req.method === 'PUT' || !key ? 'PUT' : 'GET';
    this.requests[priced]++;
    if (req.method === 'PUT' && key) return this.#putObject(req, res, definition, key);
    if (req.method === 'DELETE' && key) return this.#deleteObject(res, bucket, key, url.searchParams.get('versionId'));
    if (req.method === 'GET' && !key && url.searchParams.has('versions')) {
      return this.#listVersions(res, bucket, url.searchParams.get('prefix') ?? '');
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      const versions = this.#objects.get(`${bucket}/${key}`) ?? [];
      const wanted = url.searchParams.get('versionId');
      const version = wanted ? versions.find((v) => v.versionId === wanted) : versions.at(-1);
      if (!version || version.deleteMarker)
        return xmlError(res, 404, wanted ? 'NoSuchVersion' : 'NoSuchKey', 'The specified key does not exist.');
      const headers = {
        etag: `"${version.etag}"`,
        'x-amz-version-id': version.versionId,
        'last-modified': version.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        ...(version.retainUntil
          ? {
              'x-amz-object-lock-mode': 'COMPLIANCE',
              'x-amz-object-lock-retain-until-date': version.retainUntil.toISOString(),
            }
          : {}),
      };
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
      if (req.headers.range && range) {
        const size = version.body.length;
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        if (start >= size || end < start) {
          res.writeHead(416, { 'content-range': `bytes */${size}` });
          return void res.end();
        }
        res.writeHead(206, {
          ...headers,
          'content-length': end - start + 1,
          'content-range': `bytes ${start}-${end}/${size}`,
        });
        return void res.end(req.method === 'HEAD' ? undefined : version.body.subarray(start, end + 1));
      }
      res.writeHead(200, { ...headers, 'content-length': version.body.length });
      return void res.end(req.method === 'HEAD' ? undefined : version.body);
    }
    return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  async #putObject(req: IncomingMessage, res: ServerResponse, bucket: LocalBucket, key: string): Promise<void> {
    if (/aws-chunked/.test(String(req.headers['content-encoding'] ?? ''))) {
      return xmlError(res, 501, 'NotImplemented', 'aws-chunked bodies are not emulated');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxObjectBytes) return xmlError(res, 400, 'EntityTooLarge', 'larger than the stand-in keeps');
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const md5 = req.headers['content-md5'];
    if (typeof md5 === 'string' && md5 !== createHash('md5').update(body).digest('base64')) {
      return xmlError(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    const mode = req.headers['x-amz-object-lock-mode'];
    const until = req.headers['x-amz-object-lock-retain-until-date'];
    if ((mode || until) && !bucket.objectLock) {
      return xmlError(res, 400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
    }
    if (mode && mode !== 'COMPLIANCE') return xmlError(res, 501, 'NotImplemented', 'only compliance mode is emulated');
    const retainUntil = typeof until === 'string' ? new Date(until) : undefined;
    if (retainUntil && (Number.isNaN(retainUntil.getTime()) || !mode)) {
      return xmlError(res, 400, 'InvalidArgument', 'x-amz-object-lock-mode and retain-until-date go together');
    }
    const checksum = Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-'));
    if (bucket.objectLock && (retainUntil || bucket.objectLock.defaultRetentionDays) && !md5 && !checksum) {
      return xmlError(
        res,
        400,
        'InvalidRequest',
        'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
      );
    }
    const current = this.#objects.get(`${bucket.name}/${key}`)?.at(-1);
    if (req.headers['if-none-match'] === '*' && current && !current.deleteMarker) {
      return xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    const version = this.put(bucket.name, key, body, retainUntil);
    res.writeHead(200, { etag: `"${version.etag}"`, 'x-amz-version-id': version.versionId });
    res.end();
  }

  #deleteObject(res: ServerResponse, bucket: string, key: string, versionId: string | null): void {
    const versions = this.#objects.get(`${bucket}/${key}`) ?? [];
    if (!versionId) {
      // A delete marker: the object is gone from GET, every version (a retained one too) is still there.
      const marker = { versionId: randomUUID().replace(/-/g, ''), body: Buffer.alloc(0), etag: '', deleteMarker: true };
      versions.push({ ...marker, lastModified: new Date(this.nowMs()) });
      this.#objects.set(`${bucket}/${key}`, versions);
      res.writeHead(204, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId });
      res.end();
      return;
    }
    const index = versions.findIndex((v) => v.versionId === versionId);
    const version = versions[index];
    if (version?.retainUntil && version.retainUntil.getTime() > this.nowMs()) {
      xmlError(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
      return;
    }
    if (index >= 0) versions.splice(index, 1);
    res.writeHead(204, { 'x-amz-version-id': versionId });
    res.end();
  }

  #listVersions(res: ServerResponse, bucket: string, prefix: string): void {
    const entries: string[] = [];
    for (const [name, versions] of [...this.#objects].sort(([a], [b]) => a.localeCompare(b))) {
      const key = name.slice(bucket.length + 1);
      if (!name.startsWith(`${bucket}/`) || !key.startsWith(prefix)) continue;
      // As S3 lists them: keys in order, each key's versions newest first.
      [...versions].reverse().forEach((v, i) => {
        const common = `<Key>${key}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${i === 0}</IsLatest><LastModified>${v.lastModified.toISOString()}</LastModified>`;
        entries.push(
          v.deleteMarker
            ? `<DeleteMarker>${common}</DeleteMarker>`
            : `<Version>${common}<ETag>"${v.etag}"</ETag><Size>${v.body.length}</Size></Version>`,
        );
      });
    }
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><IsTruncated>false</IsTruncated>${entries.slice(0, 1000).join('')}</ListVersionsResult>`,
    );
  }

  async listen(port = 0): Promise<string> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: Error) => xmlError(res, 500, 'InternalError', error.name));
    });
    await new Promise<void>((resolve) => this.#server?.listen(port, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
