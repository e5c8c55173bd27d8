/** What the capacity model counts as standing costs, from serverless.yml and its resource files. */
import { describe, expect, it } from 'vitest';
import { fixedResources } from '../../infra/capacity.js';

describe('the standing costs the model counts', () => {
  it('counts the one key, each alarm once per metric it watches, no dashboard unless asked for, the polled queues', () => {
    const fixed = fixedResources();
    expect(fixed.kmsKeys).toBe(1);
    // 17 alarms, two of them metric math over two metrics each: CloudWatch bills 19.
    expect(fixed.alarms).toBe(19);
    expect(fixed.dashboards).toBe(0);
    expect(fixed.polledQueues).toBe(2);
  });
});
