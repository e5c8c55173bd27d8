/**
 * The S3 stand-in against S3's documented behaviour for the calls the project makes (PutObject, GetObject with
 * versionId and Range, HeadObject, errors, EventBridge notifications), through the project's own S3 client.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalS3, type ObjectCreated } from '../../../../infra/local/s3/local-s3.js';
import { S3Objects } from '../../../../lib/runtime/s3-objects.js';

const created: ObjectCreated[] = [];
const s3 = new LocalS3(
  [
    { name: 'notified', eventBridge: true },
    { name: 'quiet', eventBridge: false },
  ],
  (o) => created.push(o),
);
await s3.listen();
afterAll(() => s3.close());
const objects = new S3Objects('us-east-1', s3.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
const text = async (iterable: AsyncIterable<Uint8Array>) => {
  let out = '';
  for await (const chunk of iterable) out += Buffer.from(chunk).toString('utf8');
  return out;
};

describe('the S3 stand-in', () => {
  it('keeps every version of a versioned object, answering the latest unless a versionId is given', async () => {
    const first = await objects.put({ bucket: 'notified', key: 'roster/a.csv' }, Buffer.from('one'));
    const second = await objects.put({ bucket: 'notified', key: 'roster/a.csv' }, Buffer.from('two'));
    expect(first.versionId).not.toBe(second.versionId);
    expect(first.etag).toBe('f97c5d29941bfb1b2fdab0874906ab82'); // MD5 of "one", S3's ETag for a single-part PUT
    expect(await text(objects.read({ bucket: 'notified', key: 'roster/a.csv' }))).toBe('two');
    expect(await text(objects.read({ bucket: 'notified', key: 'roster/a.csv', versionId: first.versionId }))).toBe(
      'one',
    );
    expect(await objects.head({ bucket: 'notified', key: 'roster/a.csv' })).toEqual({
      lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      size: 3,
    });
  });

  it('answers a byte range with 206 and Content-Range, and 416 for a range past the end', async () => {
    await objects.put({ bucket: 'quiet', key: 'r.txt' }, Buffer.from('0123456789'));
    expect(await text(objects.read({ bucket: 'quiet', key: 'r.txt' }, { start: 2, end: 5 }))).toBe('234');
    const partial = await fetch(`${s3.endpoint}/quiet/r.txt`, { headers: { range: 'bytes=8-' } });
    expect([partial.status, partial.headers.get('content-range'), await partial.text()]).toEqual([
      206,
      'bytes 8-9/10',
      '89',
    ]);
    const past = await fetch(`${s3.endpoint}/quiet/r.txt`, { headers: { range: 'bytes=20-30' } });
    expect([past.status, past.headers.get('content-range')]).toEqual([416, 'bytes */10']);
  });

  it('answers S3’s errors: NoSuchKey, NoSuchVersion, NoSuchBucket, each a 404 with its code', async () => {
    for (const [path, code] of [
      ['/quiet/missing', 'NoSuchKey'],
      ['/quiet/r.txt?versionId=nope', 'NoSuchVersion'],
      ['/nobucket/x', 'NoSuchBucket'],
    ]) {
      const answer = await fetch(`${s3.endpoint}${path}`);
      expect([answer.status, (await answer.text()).match(/<Code>(\w+)<\/Code>/)?.[1]], path).toEqual([404, code]);
    }
    await expect(text(objects.read({ bucket: 'quiet', key: 'missing' }))).rejects.toMatchObject({
      name: 'S3ReadError',
      retryable: false,
      code: 'S3_NOT_FOUND',
    });
  });

  it('tells EventBridge of new objects only in buckets whose notifications are on', async () => {
    created.length = 0;
    await objects.put({ bucket: 'quiet', key: 'x.csv' }, Buffer.from('x'));
    const { versionId } = await objects.put({ bucket: 'notified', key: 'roster/b.csv' }, Buffer.from('b'));
    expect(created).toEqual([
      {
        bucket: 'notified',
        key: 'roster/b.csv',
        size: 1,
        etag: expect.any(String),
        versionId,
        sequencer: expect.any(String),
      },
    ]);
  });
});
