import { describe, expect, it } from 'vitest';
import { PostureEvent } from '../../../lib/events/posture-events.js';
import { PostureError } from '../../../lib/posture/errors.js';
import { handlePostureEvent } from '../../../lib/posture/handle-posture-event.js';
import type { PostureDeps } from '../../../lib/posture/ports.js';

// Nothing may be read or written for a refused accept: every port throws if touched.
const untouched = new Proxy({}, { get: () => () => Promise.reject(new Error('touched')) });
const deps = {
  wickr: untouched,
  baselines: untouched,
  section: { maxGrowthPercent: 20 },
  networkIds: ['12345678'],
  nowMs: Date.now,
  publisher: untouched,
  logger: { info: () => undefined, warn: () => undefined },
} as unknown as PostureDeps;

const accept = (source: string, networkId = '12345678') =>
  PostureEvent.parse({
    version: '0',
    id: 'e-1',
    'detail-type': 'Posture Accept Requested',
    source,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: { networkId, requestedBy: 'arn:aws:iam::000000000000:role/operators' },
  });

describe('handlePostureEvent', () => {
  it('refuses an accept from any source but the entry point, and one for a network outside the policy', async () => {
    await expect(handlePostureEvent(accept('security.incidents'), deps)).rejects.toThrow(
      /source: an accept must come from wickr\.autopilot\.operator-actions/,
    );
    const foreign = handlePostureEvent(accept('wickr.autopilot.operator-actions', '87654321'), deps);
    await expect(foreign).rejects.toBeInstanceOf(PostureError);
    await expect(foreign).rejects.toMatchObject({ retryable: false });
  });
});
