/** The reports bucket as the access review uses it: text objects by key, over the fetch-based S3 client. */
import type { ReportObjects } from '../access-review/ports.js';
import type { S3Objects } from './s3-objects.js';

/** Text objects of one bucket (UTF-8). */
export function reportObjects(s3: Pick<S3Objects, 'put' | 'read'>, bucket: string): ReportObjects {
  return {
    putText: async (key, body) => {
      await s3.put({ bucket, key }, new TextEncoder().encode(body));
    },
    getText: async (key) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of s3.read({ bucket, key })) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
