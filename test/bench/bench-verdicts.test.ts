/** The bench's verdicts: held to targets a figure meets and to an impossible one. */
import { describe, expect, it } from 'vitest';
import { type BenchFigures, benchTargets, exitCodeOf, verdicts } from './bench-verdicts.js';

// Figures of real runs on this machine (npm run bench, 2026-11-28 and 2026-11-30), trimmed to one function and one
// scenario.
const figures = {
  coldStart: {
    baselineMedianMs: 120.2,
    functions: [
      { name: 'incidentDeclared', zipBytes: 199 * 1024, bundleBytes: 600_000, initMedianMs: 72.8, initRatio: 1.127 },
    ],
  },
  memory: { peakRssMb: 131, groupsLocked: 1000 },
  rosterMemory: { rows: 100_000, megabytes: 9.9, rowsAccepted: 100_000, chunks: 400, wallMs: 2267, peakRssMb: 125 },
  reviewMemory: {
    users: 10_000,
    status: 'completed',
    accounts: 10_000,
    wickrRequests: 10_100,
    minimum: 10_100,
    wallMs: 12_677,
    peakRssMb: 154,
  },
  lockdown: { requests: 1014, minimumRequests: 1014, rateLimited: 0, failedGroups: 0, ratioToBound: 1.101 },
  lockdown429: { requests: 1115, rateLimited: 101, failedGroups: 0, ratioToBound: 1.281 },
  rotation: { requests: 111, minimumRequests: 111, rateLimited: 0, patched: 100, ratioToBound: 1.076 },
  containment: { devices: 120, signedOut: 120, requests: 7, minimumRequests: 7, wallMs: 242, ratioToBound: 1.732 },
  idempotency: [{ kind: 'dynamodb-local', fresh: ['PutItem', 'UpdateItem'], duplicate: ['PutItem'] }],
  load: { scale: 0.1, budget: 200, scenarios: [{ scenario: 'HR burst', lost: 0, mismatches: 0 }] },
} as unknown as BenchFigures;

describe('bench verdicts', () => {
  it('passes figures within their targets, and exits 0', () => {
    const rows = verdicts(figures, 0.1);
    expect(rows.filter((r) => r.ok === false)).toEqual([]);
    expect(rows.filter((r) => r.ok === true).length).toBeGreaterThan(5);
    expect(exitCodeOf(rows, false)).toBe(0);
  });

  it('marks a figure over an impossible target, and exits 1 unless only reporting', () => {
    const rows = verdicts(figures, 0.1, { ...benchTargets, initRatio: 0.5 });
    expect(rows.filter((r) => r.ok === false).map((r) => r.check.trim())).toEqual(['incidentDeclared']);
    expect(rows.find((r) => r.check.trim() === 'incidentDeclared')?.target).toBe('≤ 250 KB, ≤ 0.5');
    expect(exitCodeOf(rows, false)).toBe(1);
    expect(exitCodeOf(rows, true)).toBe(0);
  });

  it('judges a lost event in the load suite as over', () => {
    const lossy = {
      ...figures,
      load: { ...figures.load, scenarios: [{ scenario: 'HR burst', lost: 1, mismatches: 0 }] },
    };
    expect(verdicts(lossy as unknown as BenchFigures, 0.1).find((r) => r.check.includes('HR burst'))?.ok).toBe(false);
  });
});
