/** A new hold, announced once: `Wickr Hold Created` with its readable summary (ids and figures only). */
import type { MetricsPort } from '../metric-names.js';
import type { Publisher } from '../ports.js';
import { type HoldOrigin, holdSummary } from './hold.js';

/** The ports an announcement needs. */
export interface HoldAnnouncing {
  readonly publisher: Publisher;
  readonly metrics?: Pick<MetricsPort, 'add'> | undefined;
}

/** Announces a hold the caller has just opened (the alarm topic and the notifications read it). */
export async function announceHold(
  deps: HoldAnnouncing,
  { capability, networkId, safeguard, figures }: Omit<HoldOrigin, 'stem'>,
  holdId: string,
  expiresAt: string,
): Promise<void> {
  await deps.publisher.publish('Wickr Hold Created', {
    holdId,
    capability,
    networkId,
    safeguard,
    figures,
    expiresAt,
    summary: holdSummary({ holdId, networkId, safeguard, figures, expiresAt }),
  });
  deps.metrics?.add('HoldsCreated', 1);
}
