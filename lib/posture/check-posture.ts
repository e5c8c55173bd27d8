/**
 * The posture check, per managed network: read the posture, compare it with the baseline recorded the first time (or
 * accepted since), and say what drifted — `Wickr Posture Drift` once per distinct drift, the `PostureDrift` metric at
 * every check (the alarm stays raised until someone looks and accepts) — or record the first baseline. Reads only.
 */
import { createHash } from 'node:crypto';
import { publicReason } from '../wickr/index.js';
import { PostureBaselineContendedError } from './errors.js';
import type { PostureDeps } from './ports.js';
import { type PostureDrift, postureDrift } from './posture-drift.js';
import { readPosture } from './posture-reading.js';

/** What one network's check found. */
export type NetworkPosture =
  | { readonly networkId: string; readonly result: 'baseline-recorded' }
  | { readonly networkId: string; readonly result: 'unchanged' }
  | { readonly networkId: string; readonly result: 'drift'; readonly drift: readonly PostureDrift[] }
  | { readonly networkId: string; readonly result: 'unreadable'; readonly error: string };

const driftDigest = (drift: readonly PostureDrift[]) =>
  createHash('sha256').update(JSON.stringify(drift)).digest('hex').slice(0, 16);

async function checkNetwork(deps: PostureDeps, networkId: string, trigger: string): Promise<NetworkPosture> {
  const now = await readPosture(deps.wickr, networkId);
  const baseline = await deps.baselines.get(networkId);
  const at = new Date(deps.nowMs()).toISOString();
  if (!baseline) {
    if (await deps.baselines.put(networkId, { reading: now, recordedAt: at, recordedBy: 'first check' }, undefined)) {
      await deps.publisher.publish('Wickr Posture Baseline Recorded', { networkId, trigger, recordedAt: at });
    }
    return { networkId, result: 'baseline-recorded' };
  }
  const drift = postureDrift(baseline.reading, now, deps.section);
  deps.metrics?.add('PostureDrift', drift.length);
  if (drift.length === 0) return { networkId, result: 'unchanged' };
  deps.logger.warn('Posture drifted from its baseline', { networkId, items: drift.map((d) => d.item) });
  const digest = driftDigest(drift);
  if (digest !== baseline.lastDrift) {
    // Announced once per distinct drift: the next check of the same drift counts it, and says nothing new.
    if (await deps.baselines.put(networkId, { ...baseline, lastDrift: digest }, baseline.revision)) {
      await deps.publisher.publish('Wickr Posture Drift', {
        networkId,
        trigger,
        drift,
        baselineRecordedAt: baseline.recordedAt,
        baselineRecordedBy: baseline.recordedBy,
      });
    }
  }
  return { networkId, result: 'drift', drift };
}

/** Checks every managed network's posture (`networkIds` narrows it); a network Wickr does not answer is said so. */
export async function checkPosture(
  deps: PostureDeps,
  trigger: string,
  networkIds: readonly string[] = deps.networkIds,
): Promise<NetworkPosture[]> {
  const results: NetworkPosture[] = [];
  for (const networkId of networkIds) {
    try {
      results.push(await checkNetwork(deps, networkId, trigger));
    } catch (error) {
      const reason = publicReason(error as Error);
      deps.logger.warn('Posture unreadable', { networkId, reason });
      results.push({ networkId, result: 'unreadable', error: reason });
    }
  }
  return results;
}

/** Re-records a network's baseline as it is now: an operator accepted what drifted. */
export async function acceptPosture(deps: PostureDeps, networkId: string, acceptedBy: string, eventId?: string) {
  const now = await readPosture(deps.wickr, networkId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const baseline = await deps.baselines.get(networkId);
    const at = new Date(deps.nowMs()).toISOString();
    const drift = baseline ? postureDrift(baseline.reading, now, deps.section) : [];
    if (
      await deps.baselines.put(networkId, { reading: now, recordedAt: at, recordedBy: acceptedBy }, baseline?.revision)
    ) {
      await deps.publisher.publish('Wickr Posture Accepted', {
        networkId,
        ...(eventId ? { eventId } : {}),
        acceptedBy,
        acceptedAt: at,
        accepted: drift,
      });
      return { networkId, accepted: drift };
    }
  }
  throw new PostureBaselineContendedError(networkId);
}
