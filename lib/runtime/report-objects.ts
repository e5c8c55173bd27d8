/** The reports bucket as the access review uses it: text objects by key, over the fetch-based S3 client. */
import type { ReportObjects } from '../access-review/ports.js';
import type { S3Objects } from './s3-objects.js';

/**
 * Text objects of one bucket (UTF-8). A report (under `access-reviews/`) is evidence: with `retainDays`, it is written
 * locked in compliance mode for that long; a run's working parts are not.
 */
export function reportObjects(
  s3: Pick<S3Objects, 'put' | 'read'>,
  bucket: string,
  retainDays = 0,
  nowMs: () => number = Date.now,
): ReportObjects {
  return {
    putText: async (key, body) => {
      const locked = retainDays > 0 && key.startsWith('access-reviews/');
      await s3.put(
        { bucket, key },
        new TextEncoder().encode(body),
        locked ? { retainUntil: new Date(nowMs() + retainDays * 86_400_000) } : {},
      );
    },
    getText: async (key) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of s3.read({ bucket, key })) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
