/**
 * `ops posture`: each network's posture now against its baseline, read live with your identity (the same reads the
 * hourly check makes, so it answers at once — at a declaration, say); `ops posture accept` re-records one network's
 * baseline through the operators' entry point, in the name AWS authenticated, and waits for the function's answer.
 */
import type { PostureDrift } from '../../lib/posture/posture-drift.js';
import { postureDrift } from '../../lib/posture/posture-drift.js';
import { readPosture } from '../../lib/posture/posture-reading.js';
import { PostureBaselineStore } from '../../lib/store/posture-baseline-store.js';
import { publicReason } from '../../lib/wickr/index.js';
import { auditTrail } from './audit.js';
import { callOperatorEntry } from './operator-entry.js';
import type { OpsTarget } from './ops-target.js';

/** One network's posture as `ops posture` shows it. */
export interface NetworkPostureStatus {
  readonly networkId: string;
  readonly baseline?: { readonly recordedAt: string; readonly recordedBy: string } | undefined;
  readonly drift: readonly PostureDrift[];
  readonly error?: string | undefined;
}

/** The posture of each network (`networks` narrows it) against its baseline. */
export async function postureStatus(target: OpsTarget, networks?: readonly string[]): Promise<NetworkPostureStatus[]> {
  const baselines = new PostureBaselineStore(target.db, target.stateTable);
  const ids = networks?.length ? networks : target.policy.networks.map((n) => n.networkId);
  return Promise.all(
    ids.map(async (networkId): Promise<NetworkPostureStatus> => {
      try {
        const [now, baseline] = await Promise.all([readPosture(target.wickr, networkId), baselines.get(networkId)]);
        if (!baseline) return { networkId, drift: [] };
        const drift = postureDrift(baseline.reading, now, target.policy.posture);
        return { networkId, baseline: { recordedAt: baseline.recordedAt, recordedBy: baseline.recordedBy }, drift };
      } catch (error) {
        return { networkId, drift: [], error: publicReason(error as Error) };
      }
    }),
  );
}

const answers = new Set(['Wickr Posture Accepted', 'Wickr Automation Failed']);

/** Asks the entry point to accept a network's posture as it is now; the function's answer, or none by the deadline. */
export async function acceptPostureOf(target: OpsTarget, networkId: string, timeoutMs: number) {
  const { eventId } = await callOperatorEntry<{ eventId: string }>(target, {
    action: 'put-fact',
    detailType: 'Posture Accept Requested',
    detail: { networkId },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await auditTrail(target, { sinceMs: 15 * 60_000 })).find(
      (e) => answers.has(e.detailType) && e.detail.eventId === eventId,
    );
    if (found || Date.now() >= deadline) return { eventId, answer: found };
    await new Promise((r) => setTimeout(r, 500));
  }
}
