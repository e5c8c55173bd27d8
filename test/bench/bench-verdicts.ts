/** The bench's figures against their targets: pure, so a test can hold them to an impossible one. */
import type { runLoad } from '../load/load-scenarios.js';
import type { coldStarts } from './cold-start.js';
import type { idempotencyOverhead } from './idempotency-overhead.js';
import type { lockdownFanOut } from './lockdown-fan-out.js';
import type { lockdownMemory } from './lockdown-memory.js';
import type { reviewMemory } from './review-memory.js';
import type { rosterMemory } from './roster-memory.js';
import type { rotationFanOut } from './rotation-fan-out.js';
import type { timeToContain } from './time-to-contain.js';

/** What one bench run measured. */
export interface BenchFigures {
  readonly coldStart: Pick<Awaited<ReturnType<typeof coldStarts>>, 'baselineMedianMs' | 'functions'>;
  readonly memory: Awaited<ReturnType<typeof lockdownMemory>>;
  readonly rosterMemory: Awaited<ReturnType<typeof rosterMemory>>;
  readonly reviewMemory: Awaited<ReturnType<typeof reviewMemory>>;
  readonly lockdown: Awaited<ReturnType<typeof lockdownFanOut>>;
  readonly lockdown429: Awaited<ReturnType<typeof lockdownFanOut>>;
  readonly rotation: Awaited<ReturnType<typeof rotationFanOut>>;
  readonly containment: Awaited<ReturnType<typeof timeToContain>>;
  readonly idempotency: readonly Awaited<ReturnType<typeof idempotencyOverhead>>[];
  readonly load: {
    readonly scale: number;
    readonly budget: number;
    readonly scenarios: Awaited<ReturnType<typeof runLoad>>;
  };
}

/** The targets the issues set. */
export const benchTargets = {
  zipKb: 250,
  initRatio: 1.2,
  peakRssMb: 200,
  rosterRssMb: 256,
  reviewRssMb: 256,
  fanOutRatio: 1.25,
};

/** One figure against its target; `ok` undefined where a figure is reported, not judged. */
export interface Verdict {
  readonly check: string;
  readonly value: string;
  readonly target: string;
  readonly ok?: boolean | undefined;
}

/** Every figure of a run against its target. */
export function verdicts(figures: BenchFigures, loadScale: number, targets = benchTargets): Verdict[] {
  return [
    { check: 'cold start: baseline init (median)', value: `${figures.coldStart.baselineMedianMs} ms`, target: '' },
    ...figures.coldStart.functions.map((f) => ({
      check: `  ${f.name}`,
      value: `zip ${(f.zipBytes / 1024).toFixed(0)} KB, init ${f.initMedianMs} ms, ratio ${f.initRatio}`,
      target: `≤ ${targets.zipKb} KB, ≤ ${targets.initRatio}`,
      ok: f.zipBytes <= targets.zipKb * 1024 && f.initRatio <= targets.initRatio,
    })),
    {
      check: 'memory: lockdown of 1,000 groups',
      value: `peak RSS ${figures.memory.peakRssMb} MB, ${figures.memory.groupsLocked} locked`,
      target: `≤ ${targets.peakRssMb} MB`,
      ok: figures.memory.peakRssMb <= targets.peakRssMb,
    },
    {
      check: 'memory: a 100,000-row roster read whole',
      value: `peak RSS ${figures.rosterMemory.peakRssMb} MB, ${figures.rosterMemory.megabytes} MB file, ${figures.rosterMemory.rowsAccepted} rows accepted in ${figures.rosterMemory.wallMs} ms, ${figures.rosterMemory.chunks} chunks`,
      target: `≤ ${targets.rosterRssMb} MB`,
      ok:
        figures.rosterMemory.peakRssMb <= targets.rosterRssMb &&
        figures.rosterMemory.rowsAccepted === figures.rosterMemory.rows,
    },
    {
      check: 'memory: an access review of 10,000 users',
      value: `peak RSS ${figures.reviewMemory.peakRssMb} MB, ${figures.reviewMemory.accounts} accounts reported, ${figures.reviewMemory.wickrRequests} requests (minimum ${figures.reviewMemory.minimum}) in ${figures.reviewMemory.wallMs} ms`,
      target: `≤ ${targets.reviewRssMb} MB, requests = minimum`,
      ok:
        figures.reviewMemory.peakRssMb <= targets.reviewRssMb &&
        figures.reviewMemory.accounts === figures.reviewMemory.users &&
        figures.reviewMemory.wickrRequests === figures.reviewMemory.minimum,
    },
    {
      check: 'lockdown: 1,000 groups × 2 networks',
      value: `${figures.lockdown.requests} requests (minimum ${figures.lockdown.minimumRequests}), ${figures.lockdown.rateLimited} × 429, ${figures.lockdown.failedGroups} failed`,
      target: 'equal, 0',
      ok: figures.lockdown.requests === figures.lockdown.minimumRequests && figures.lockdown.failedGroups === 0,
    },
    {
      check: '  ÷ rate-limit bound',
      value: `${figures.lockdown.ratioToBound} (wall ${figures.lockdown.wallMs} ms, bound ${figures.lockdown.boundMs} ms; paced baseline ratio ${figures.lockdown.ratioToBaseline})`,
      target: `≤ ${targets.fanOutRatio}`,
      ok: figures.lockdown.ratioToBound <= targets.fanOutRatio,
    },
    {
      check: 'lockdown under 10% 429s',
      value: `${figures.lockdown429.requests} requests, ${figures.lockdown429.rateLimited} × 429, ${figures.lockdown429.failedGroups} failed`,
      target: '0 failed',
      ok: figures.lockdown429.failedGroups === 0,
    },
    {
      check: '  ÷ rate-limit bound',
      value: `${figures.lockdown429.ratioToBound} (wall ${figures.lockdown429.wallMs} ms)`,
      target: 'reported',
    },
    {
      check: 'rotation: 1,000 groups, 10% drift',
      value: `${figures.rotation.requests} requests (minimum ${figures.rotation.minimumRequests}), ${figures.rotation.rateLimited} × 429, patched ${figures.rotation.patched}`,
      target: 'equal',
      ok: figures.rotation.requests === figures.rotation.minimumRequests,
    },
    {
      check: '  ÷ rate-limit bound',
      value: `${figures.rotation.ratioToBound} (wall ${figures.rotation.wallMs} ms, bound ${figures.rotation.boundMs} ms)`,
      target: `≤ ${targets.fanOutRatio}`,
      ok: figures.rotation.ratioToBound <= targets.fanOutRatio,
    },
    {
      check: 'time to contain one account (120 devices)',
      value: `${figures.containment.requests} requests (minimum ${figures.containment.minimumRequests}), ${figures.containment.signedOut} signed out, ${figures.containment.wallMs} ms`,
      target: 'equal',
      ok:
        figures.containment.requests === figures.containment.minimumRequests &&
        figures.containment.signedOut === figures.containment.devices,
    },
    {
      check: '  ÷ rate-limit bound',
      value: `${figures.containment.ratioToBound} (bound ${figures.containment.boundMs} ms; each request waits for the one before: ÷ their latency in sequence ${figures.containment.ratioToSequentialLatency})`,
      target: 'reported',
    },
    ...figures.idempotency.map((i) => ({
      check: `idempotency requests (${i.kind})`,
      value: `fresh ${i.fresh.length} (${i.fresh.join(', ')}), duplicate ${i.duplicate.length} (${i.duplicate.join(', ')})`,
      // dynalite does not return the item with a failed condition, so Powertools reads it back: DynamoDB Local,
      // which does as DynamoDB does, is the one judged.
      target: i.kind === 'dynalite' ? 'reported' : '2 and 1',
      ok: i.kind === 'dynalite' ? undefined : i.fresh.length === 2 && i.duplicate.length === 1,
    })),
    ...figures.load.scenarios.map((l) => ({
      check: `load (scale ${loadScale}): ${l.scenario}`,
      value: `${l.wickrRequests} requests (${l.requestsToMinimum} × minimum), ${l.failedInvocations} failed, ${l.lost} lost, ${l.mismatches} mismatches, wall ÷ bound ${l.wallToBound}${l.latencyMs ? `, ${l.latencyIs ?? 'latency'} p50/p95 ${l.latencyMs.p50}/${l.latencyMs.p95} ms` : ''}`,
      target: '0 lost, 0 mismatches',
      ok: l.lost === 0 && l.mismatches === 0,
    })),
  ];
}

/** The exit code: 1 when a figure is over its target, unless only reporting. */
export const exitCodeOf = (rows: readonly Verdict[], reportOnly: boolean) =>
  rows.some((r) => r.ok === false) && !reportOnly ? 1 : 0;
