import type { RotationEvent } from '../events/rotation-event.js';
import { sweepHolds } from '../holds/sweep-holds.js';
import { applyRotationHold } from './apply-rotation-hold.js';
import { type RotationUseCaseDeps, rotatePolicy } from './handle-rotation.js';

/**
 * A tick rotates every network, then sweeps the holds (undecided ones past their time expire; the open ones are
 * counted for the alarm) — the hourly schedule is the deployment's clock. A decision is carried out.
 */
export async function handleRotationEvent(event: RotationEvent, deps: RotationUseCaseDeps) {
  if (event['detail-type'] === 'Wickr Hold Decision') {
    const settled = await applyRotationHold(deps, event.detail.holdId);
    deps.logger.info('Hold decision', { holdId: settled.holdId, status: settled.status });
    return settled;
  }
  const rotated = await rotatePolicy(event, deps);
  const holds = await sweepHolds(deps);
  return { ...rotated, holds };
}
