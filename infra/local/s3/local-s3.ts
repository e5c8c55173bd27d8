/**
 * A stand-in for the S3 calls the project makes, path-style (`/{bucket}/{key}`), as S3's API reference documents
 * them: PutObject (a new version each time on a versioned bucket: `x-amz-version-id`, a quoted MD5 `ETag`),
 * GetObject and HeadObject (`versionId`, `Range: bytes=a-b` → 206 with `Content-Range`, an unsatisfiable range →
 * 416, `NoSuchKey`/`NoSuchBucket` → 404 with S3's XML error), and EventBridge notifications (`Object Created` on
 * the default bus for a bucket whose `EventBridgeConfiguration` is on). Not emulated: signatures (any SigV4
 * caller is accepted), bucket policies (TLS-only and the uploaders' deny are held by the template tests),
 * encryption, multipart uploads, `aws-chunked` bodies (refused), listing; objects live in memory, 64 MB at most.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bucket the stack defines: its name and whether S3 tells EventBridge of its objects. */
export interface LocalBucket {
  readonly name: string;
  readonly eventBridge: boolean;
}

interface StoredVersion {
  readonly versionId: string;
  readonly body: Buffer;
  readonly etag: string;
  readonly lastModified: Date;
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

  constructor(
    buckets: readonly LocalBucket[],
    private readonly onCreated: (object: ObjectCreated) => void,
  ) {
    this.#buckets = new Map(buckets.map((b) => [b.name, b]));
  }

  /** Stores a new version of an object, as PutObject does, and notifies. */
  put(bucket: string, key: string, body: Buffer): StoredVersion {
    const versions = this.#objects.get(`${bucket}/${key}`) ?? [];
    const version: StoredVersion = {
      versionId: randomUUID().replace(/-/g, ''),
      body,
      etag: createHash('md5').update(body).digest('hex'),
      lastModified: new Date(),
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
    if (!this.#buckets.has(bucket)) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (req.method === 'PUT' && key) {
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
      const version = this.put(bucket, key, Buffer.concat(chunks));
      res.writeHead(200, { etag: `"${version.etag}"`, 'x-amz-version-id': version.versionId });
      return void res.end();
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && key) {
      const versions = this.#objects.get(`${bucket}/${key}`) ?? [];
      const wanted = url.searchParams.get('versionId');
      const version = wanted ? versions.find((v) => v.versionId === wanted) : versions.at(-1);
      if (!version)
        return xmlError(res, 404, wanted ? 'NoSuchVersion' : 'NoSuchKey', 'The specified key does not exist.');
      const headers = {
        etag: `"${version.etag}"`,
        'x-amz-version-id': version.versionId,
        'last-modified': version.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
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
