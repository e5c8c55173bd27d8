import type { ScheduledEvent } from '../events/scheduled-event.js';
import type { MetricsPort } from '../metric-names.js';
import { type RotationDeps, type RotationReport, rotateNetwork } from './rotate-network.js';

/** What a run records per network: status and counts; the plan itself goes out in the outcome event. */
export type RotationSummary = Pick<RotationReport, 'networkId' | 'at' | 'status' | 'period' | 'counts' | 'guard'>;

/** What the rotation use case needs. */
export interface RotationUseCaseDeps extends RotationDeps {
  readonly networkIds: readonly string[];
  readonly idempotency: {
    once<T extends Record<string, unknown>>(key: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T>;
  };
  readonly logger: { info(message: string, extra: Record<string, unknown>): void };
  /** Drift found, fields patched, guard stops. */
  readonly metrics?: MetricsPort | undefined;
}

/**
 * A schedule tick: every network is brought to the policy as it stands at the tick's `time`. Once per schedule
 * rule, network and tick, so a duplicate or retried tick changes nothing twice and a partial failure resumes.
 */
export async function rotatePolicy(event: ScheduledEvent, deps: RotationUseCaseDeps) {
  const rule = event.resources[0]?.split('/').pop() ?? 'schedule';
  const at = new Date(event.time);
  const networks: RotationSummary[] = [];
  for (const networkId of deps.networkIds) {
    networks.push(
      (await deps.idempotency.once({ step: 'rotation', rule, networkId, at: event.time }, async () => {
        const report = await rotateNetwork(deps, networkId, at);
        deps.logger.info('Policy rotation', { networkId, rule, status: report.status, ...report.counts });
        deps.metrics?.add('RotationDrift', report.counts.drifted);
        deps.metrics?.add('RotationPatched', report.counts.patched);
        deps.metrics?.add('GuardStops', report.status === 'held' ? 1 : 0);
        await deps.publisher.publish('Wickr Policy Rotated', {
          rule,
          dryRun: report.status === 'dry-run',
          ...report,
        });
        return report as unknown as Record<string, unknown>;
      })) as unknown as RotationReport,
    );
  }
  return { rule, at: event.time, networks };
}
