/** Fires one of a local stack's schedules now, as its Scheduler schedule would, and waits for what it caused. */
import { expect } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';

/** Fires `<bus name>-<name>` (e.g. `posture-check`, `audit-anchor`). */
export async function fireSchedule(stack: LocalStack, name: string): Promise<void> {
  const answer = await fetch(
    new URL(`/_local/schedules/${stack.service.busName}-${name}/fire`, stack.eventBridgeEndpoint),
    {
      method: 'POST',
    },
  );
  expect(answer.status).toBe(200);
  await stack.bus.drain();
}
