/**
 * The S3 stand-in's Object Lock against S3's documented behaviour (compliance mode): a retained version cannot be
 * deleted by anyone; a delete marker or a new version leaves it as it was; a locked write needs Content-MD5 or a
 * checksum; `If-None-Match: *` writes a key once. Through the project's own S3 client where it makes the call.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalS3 } from '../../../../infra/local/s3/local-s3.js';
import { S3Objects } from '../../../../lib/runtime/s3-objects.js';

let now = Date.parse('2026-12-07T10:00:00Z');
const s3 = new LocalS3(
  [
    { name: 'anchors', eventBridge: false, objectLock: { defaultRetentionDays: 400 } },
    { name: 'reports', eventBridge: false, objectLock: {} },
    { name: 'plain', eventBridge: false },
  ],
  () => undefined,
  () => now,
);
await s3.listen();
afterAll(() => s3.close());
const objects = new S3Objects('us-east-1', s3.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
const text = async (iterable: AsyncIterable<Uint8Array>) => {
  let out = '';
  for await (const chunk of iterable) out += Buffer.from(chunk).toString('utf8');
  return out;
};
const code = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

describe('the S3 stand-in’s Object Lock', () => {
  it('refuses to delete a retained version, until its retention ends; a delete marker hides it but keeps it', async () => {
    const { versionId } = await objects.put({ bucket: 'anchors', key: 'anchors/a.json' }, Buffer.from('{"a":1}'));
    const head = await fetch(`${s3.endpoint}/anchors/anchors/a.json`, { method: 'HEAD' });
    expect(head.headers.get('x-amz-object-lock-mode')).toBe('COMPLIANCE');
    expect(head.headers.get('x-amz-object-lock-retain-until-date')).toBe('2028-01-11T10:00:00.000Z'); // +400 days
    const denied = await fetch(`${s3.endpoint}/anchors/anchors/a.json?versionId=${versionId}`, { method: 'DELETE' });
    expect([denied.status, await code(denied)]).toEqual([403, 'AccessDenied']);
    const marker = await fetch(`${s3.endpoint}/anchors/anchors/a.json`, { method: 'DELETE' });
    expect([marker.status, marker.headers.get('x-amz-delete-marker')]).toEqual([204, 'true']);
    expect((await fetch(`${s3.endpoint}/anchors/anchors/a.json`)).status).toBe(404);
    expect(await text(objects.read({ bucket: 'anchors', key: 'anchors/a.json', versionId }))).toBe('{"a":1}');
    const listed = await objects.listVersions('anchors', 'anchors/');
    expect(listed.map((v) => v.versionId)).toEqual([versionId]); // delete markers are not versions
    now += 401 * 86_400_000;
    const allowed = await fetch(`${s3.endpoint}/anchors/anchors/a.json?versionId=${versionId}`, { method: 'DELETE' });
    expect(allowed.status).toBe(204);
  });

  it('keeps the retained version when the key is overwritten: a new version beside it, listed newest first', async () => {
    const first = await objects.put({ bucket: 'anchors', key: 'anchors/b.json' }, Buffer.from('first'));
    const second = await objects.put({ bucket: 'anchors', key: 'anchors/b.json' }, Buffer.from('forged'));
    expect((await objects.listVersions('anchors', 'anchors/b')).map((v) => v.versionId)).toEqual([
      second.versionId,
      first.versionId,
    ]);
    expect(await text(objects.read({ bucket: 'anchors', key: 'anchors/b.json', versionId: first.versionId }))).toBe(
      'first',
    );
  });

  it('requires Content-MD5 (checked) or a checksum of a write to a locked bucket', async () => {
    const bare = await fetch(`${s3.endpoint}/anchors/x`, { method: 'PUT', body: 'x' });
    expect([bare.status, await code(bare)]).toEqual([400, 'InvalidRequest']);
    const wrong = await fetch(`${s3.endpoint}/anchors/x`, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-md5': 'AAAAAAAAAAAAAAAAAAAAAA==' },
    });
    expect([wrong.status, await code(wrong)]).toEqual([400, 'BadDigest']);
    const checksum = await fetch(`${s3.endpoint}/anchors/x`, {
      method: 'PUT',
      body: 'x',
      headers: { 'x-amz-checksum-crc32': 'jHNlIQ==' },
    });
    expect(checksum.status).toBe(200);
    // An unlocked bucket takes a bare write, and refuses lock headers.
    expect((await fetch(`${s3.endpoint}/plain/x`, { method: 'PUT', body: 'x' })).status).toBe(200);
    const unlockable = await fetch(`${s3.endpoint}/plain/x`, {
      method: 'PUT',
      body: 'x',
      headers: {
        'x-amz-object-lock-mode': 'COMPLIANCE',
        'x-amz-object-lock-retain-until-date': '2030-01-01T00:00:00Z',
      },
    });
    expect([unlockable.status, await code(unlockable)]).toEqual([400, 'InvalidRequest']);
  });

  it('locks a version written with a retain-until date in a bucket without a default, and only that one', async () => {
    const report = await objects.put({ bucket: 'reports', key: 'access-reviews/r.json' }, Buffer.from('report'), {
      retainUntil: new Date(now + 86_400_000),
    });
    const part = await objects.put({ bucket: 'reports', key: 'access-review-parts/p.json' }, Buffer.from('part'));
    const deleteReport = await fetch(`${s3.endpoint}/reports/access-reviews/r.json?versionId=${report.versionId}`, {
      method: 'DELETE',
    });
    expect(deleteReport.status).toBe(403);
    const deletePart = await fetch(`${s3.endpoint}/reports/access-review-parts/p.json?versionId=${part.versionId}`, {
      method: 'DELETE',
    });
    expect(deletePart.status).toBe(204);
  });

  it('writes a key once with If-None-Match: * (412 after), and again once a delete marker hides it', async () => {
    expect(
      (await objects.put({ bucket: 'anchors', key: 'anchors/c.json' }, Buffer.from('1'), { ifNoneMatch: true }))
        .versionId,
    ).not.toBe('');
    await expect(
      objects.put({ bucket: 'anchors', key: 'anchors/c.json' }, Buffer.from('2'), { ifNoneMatch: true }),
    ).rejects.toMatchObject({ status: 412 });
    await fetch(`${s3.endpoint}/anchors/anchors/c.json`, { method: 'DELETE' });
    await expect(
      objects.put({ bucket: 'anchors', key: 'anchors/c.json' }, Buffer.from('3'), { ifNoneMatch: true }),
    ).resolves.toMatchObject({ etag: expect.any(String) });
  });
});
