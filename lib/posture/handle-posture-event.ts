/**
 * The posture function's use case: a tick checks every managed network; an operator's accept (from
 * the entry point only) re-records one network's baseline in the verified caller's name.
 */
import { operatorActionsSource } from '../events/operator-actions.js';
import type { PostureEvent } from '../events/posture-events.js';
import { acceptPosture, checkPosture } from './check-posture.js';
import { PostureError } from './errors.js';
import type { PostureDeps } from './ports.js';

/** Handles one event; the accept's network must be managed. */
export async function handlePostureEvent(event: PostureEvent, deps: PostureDeps) {
  if (event['detail-type'] === 'Posture Accept Requested') {
    // Who accepts is the caller the entry point verified: from any other source, the claim is nobody's.
    if (event.source !== operatorActionsSource) {
      throw new PostureError(`source: an accept must come from ${operatorActionsSource} (ops posture accept)`, {
        retryable: false,
        code: 'POSTURE_UNVERIFIED_ACCEPT',
      });
    }
    const { networkId, requestedBy } = event.detail;
    if (!deps.networkIds.includes(networkId)) {
      throw new PostureError(`detail.networkId: ${networkId} is not a network of the policy file`, {
        retryable: false,
        code: 'POSTURE_UNKNOWN_NETWORK',
      });
    }
    return acceptPosture(deps, networkId, requestedBy, event.id);
  }
  const networks = await checkPosture(deps, event['detail-type']);
  deps.logger.info('Posture checked', {
    trigger: event['detail-type'],
    networks: networks.map((n) => `${n.networkId}: ${n.result}`),
  });
  return { networks };
}
