import { AnchorWriteError } from '../audit/errors.js';
import type { AnchorObjects } from '../audit/ports.js';
import { type S3Objects, S3ReadError } from './s3-objects.js';

/** The Object Lock bucket's anchors, each written with S3's conditional write: an hour's anchor only once. */
export function anchorObjects(s3: Pick<S3Objects, 'put'>, bucket: string): AnchorObjects {
  return {
    putOnce: async (key, body) => {
      try {
        await s3.put({ bucket, key }, new TextEncoder().encode(body), { ifNoneMatch: true });
        return true;
      } catch (error) {
        if (error instanceof S3ReadError && error.status === 412) return false;
        throw new AnchorWriteError(`The anchor ${key} could not be written`, { cause: error });
      }
    },
  };
}
