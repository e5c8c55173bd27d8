/**
 * The access review against the Wickr emulator over HTTP and a real local DynamoDB (the HR records, idempotency):
 * a network with every class present; hand-overs at a deadline; 429 and 5xx faults; actions through a hold.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyReviewHold } from '../../../lib/access-review/apply-review-hold.js';
import { handleReviewEvent } from '../../../lib/access-review/handle-review-event.js';
import type { ReportObjects, ReviewDeps } from '../../../lib/access-review/ports.js';
import { newRun, reviewSegment } from '../../../lib/access-review/review-network.js';
import type { ReviewReport } from '../../../lib/access-review/review-report.js';
import type { ReviewRun } from '../../../lib/events/review-events.js';
import { isRetryable } from '../../../lib/failure.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { ProvisionedUsersStore } from '../../../lib/store/provisioned-users-store.js';
import {
  expectedClasses,
  provisionReviewEmployees,
  reviewNetworkId,
  reviewNow,
  reviewSeed,
} from '../../support/access-review-seed.js';
import { decideAsOperator } from '../../support/decide-hold.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';
import { MemoryHolds } from '../../support/memory-holds.js';

const { fixture, db, idempotency } = await startIntegration();
const doc = documentClient(db.client);
const records = new EmployeeRecordStore(doc, tableNames.state, 400 * 86_400);

class MemoryReports implements ReportObjects {
  readonly objects = new Map<string, string>();
  async putText(key: string, body: string) {
    this.objects.set(key, body);
  }
  async getText(key: string) {
    const body = this.objects.get(key);
    if (body === undefined) throw new Error(`no object ${key}`);
    return body;
  }
}

let reports: MemoryReports;
let published: { detailType: string; detail: Record<string, unknown> }[];
let handedOver: ReviewRun[];

const deps = (overrides: Partial<ReviewDeps> = {}): ReviewDeps => ({
  wickr: fixture.client(),
  reports,
  accounts: new ProvisionedUsersStore(doc, tableNames.state),
  rules: { inactiveDays: 90, exempt: ['svc-*'], actions: [] },
  networkIds: [reviewNetworkId],
  holdMs: 3_600_000,
  handover: { continueRun: async (run) => void handedOver.push(run) },
  once: idempotency().once,
  requestsInFlight: 4,
  nowMs: () => reviewNow,
  publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
  logger: { info: () => undefined, warn: () => undefined },
  ...overrides,
});

/** Runs a review to its end as the bus would: every hand-over delivered, a retryable failure retried. */
async function runToEnd(d: ReviewDeps, first: ReviewRun) {
  const queue = [first];
  let segments = 0;
  let retries = 0;
  for (let run = queue.shift(); run; run = queue.shift()) {
    try {
      const outcome = await reviewSegment(d, run);
      segments++;
      if (outcome.status === 'handed-over') queue.push(handedOver.shift() as ReviewRun);
    } catch (error) {
      if (!isRetryable(error) || ++retries > 20) throw error;
      queue.unshift(run);
    }
  }
  const keys = published.find((p) => p.detailType === 'Wickr Access Review Completed')?.detail.objects as {
    json: string;
    csv: string;
  };
  const report = JSON.parse(reports.objects.get(keys.json) ?? '{}') as ReviewReport;
  return { report, csv: reports.objects.get(keys.csv) ?? '', segments };
}

const run = (requestId: string = randomUUID()) => newRun(reviewNetworkId, new Date(reviewNow).toISOString(), requestId);
const classes = (report: ReviewReport) => Object.fromEntries(report.rows.map((r) => [r.userId, r.class]));

beforeEach(async () => {
  reports = new MemoryReports();
  published = [];
  handedOver = [];
  fixture.emulator.reset(reviewSeed());
  await provisionReviewEmployees(records, `E${randomUUID().slice(0, 6)}`);
  fixture.emulator.clearJournal();
});

describe('access review', () => {
  it('gives every account its class with evidence, in pages + users requests, and says so without a name', async () => {
    const { report, csv } = await runToEnd(deps(), run());
    expect(classes(report)).toEqual(expectedClasses);
    expect(report.rows.find((r) => r.userId === '2006')?.evidence).toMatch(/^last sign-in 2026-05-14 \(200 days\)/);
    expect(report.rows.find((r) => r.userId === '2002')?.evidence).toContain('in sg-sales; HR places');
    expect(report.rows.find((r) => r.userId === '2005')?.evidence).toBe('matches accessReview.exempt[0]');
    // The minimum: one page, then each user's GetUser for the last sign-in; one page each of guests, blocked guests
    // and bots.
    const calls = fixture.emulator.journal().map((e) => e.operation);
    expect(calls.filter((o) => o === 'ListUsers')).toHaveLength(1);
    expect(calls.filter((o) => o === 'GetUser')).toHaveLength(11);
    expect(calls).toHaveLength(15);
    // Guests and bots in sections of their own.
    expect(report.guests).toEqual([
      { usernameHash: 'h-partner', lastSeen: '2026-10', blocked: false },
      { usernameHash: 'h-vendor', lastSeen: '2026-11', blocked: true },
    ]);
    expect(report.bots?.map((b) => [b.botId, b.class])).toEqual([
      ['8001', 'bot-ok'],
      ['8002', 'bot-inactive'],
      ['8003', 'bot-suspended'],
    ]);
    // The CSV holds the same rows as the JSON; a username that looks like a formula is defused.
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('userId,username,class,evidence,state,invitation,admin,groups,employeeId,lastSignIn');
    expect(lines).toHaveLength(report.rows.length + 1);
    expect(csv).toContain(`2010,"'=HYPERLINK(""x"")@example.com",suspended,`);
    const completed = published.filter((p) => p.detailType === 'Wickr Access Review Completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.detail.counts).toEqual(report.counts);
    expect(report.counts).toMatchObject({ ok: 2, orphan: 1, 'leaver-active': 1, inactive: 1, admin: 1 });
    expect(JSON.stringify(completed[0]?.detail)).not.toMatch(/example\.com/);
  });

  it('hands over at its deadline and reports every account exactly once, as a run without one would', async () => {
    fixture.emulator.reset(reviewSeed(230));
    const whole = await runToEnd(deps(), run());
    published = [];
    fixture.emulator.clearJournal();
    // A deadline already past: each invocation reads one page (never none) and hands over.
    const handed = await runToEnd(deps({ stopAtMs: 0 }), run());
    expect(handed.segments).toBe(3);
    expect(handed.report.rows.map((r) => r.userId).sort()).toEqual(whole.report.rows.map((r) => r.userId).sort());
    expect(new Set(handed.report.rows.map((r) => r.userId)).size).toBe(241);
    expect(handed.report.counts).toEqual(whole.report.counts);
    expect(handed.report.counts.orphan).toBe(231);
    const calls = fixture.emulator.journal().map((e) => e.operation);
    expect(calls.filter((o) => o === 'ListUsers')).toHaveLength(3);
    expect(calls.filter((o) => o === 'GetUser')).toHaveLength(241);
  });

  it('under 429 and 5xx faults, and a retried segment, gives the same report with every account once', async () => {
    const clean = await runToEnd(deps(), run());
    published = [];
    fixture.emulator.setFaults({
      seed: 11,
      errorRates: { '429': 0.15, '500': 0.05, '503': 0.05 },
      operations: ['ListUsers', 'GetUser'],
    });
    const faulty = await runToEnd(deps(), run());
    fixture.emulator.setFaults({});
    expect(faulty.report.rows).toEqual(clean.report.rows);
    expect(fixture.emulator.journal().some((e) => e.status === 429)).toBe(true);
  });

  it('a duplicated hand-over or request reads nothing twice and completes once', async () => {
    const d = deps({ stopAtMs: 0 });
    fixture.emulator.reset(reviewSeed(150));
    const first = run('dup');
    await reviewSegment(d, first);
    const next = handedOver.shift() as ReviewRun;
    await reviewSegment(d, next);
    const before = fixture.emulator.journal().length;
    // The same hand-over delivered again: answered from its idempotency record.
    await reviewSegment(d, next);
    expect(fixture.emulator.journal().length).toBe(before);
    expect(published.filter((p) => p.detailType === 'Wickr Access Review Completed')).toHaveLength(1);
  });

  it('proposes actions as one hold listing exactly those accounts; approved, they are suspended, nothing else', async () => {
    const holds = new MemoryHolds();
    const d = deps({ holds, rules: { inactiveDays: 90, exempt: ['svc-*'], actions: ['leaver-active'] } });
    await runToEnd(d, run());
    expect([...holds.holds.values()].map((h) => [h.capability, h.subjects.map((s) => s.userId)])).toEqual([
      ['review', ['2003']],
    ]);
    const [hold] = [...holds.holds.values()];
    expect(fixture.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
    // A nudge without an operator's decision carries no authority: nothing is suspended.
    expect(await applyReviewHold(d, hold?.holdId ?? '')).toEqual({ holdId: hold?.holdId, status: 'undecided' });
    expect(fixture.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
    await decideAsOperator(holds, hold?.holdId ?? '', 'approve', reviewNow);
    fixture.emulator.clearJournal();
    expect(await applyReviewHold(d, hold?.holdId ?? '')).toMatchObject({
      status: 'approved',
      result: { held: 1, applied: 1, skipped: 0 },
    });
    const users = fixture.emulator.snapshot().networks[0]?.users ?? [];
    expect(users.filter((u) => u.suspended).map((u) => u.userId)).toEqual(['2003', '2010', '2011']);
    expect(
      fixture.emulator
        .journal()
        .filter((e) => e.method !== 'GET')
        .map((e) => e.operation),
    ).toEqual(['BatchToggleUserSuspendStatus']);
  });

  it('proposes suspending inactive bots where the actions say, and suspends only one still idle when approved', async () => {
    const holds = new MemoryHolds();
    const d = deps({ holds, rules: { inactiveDays: 90, exempt: ['svc-*'], actions: ['bot-inactive'] } });
    await runToEnd(d, run());
    const [hold] = [...holds.holds.values()];
    expect(hold?.subjects).toEqual([{ subject: 'bot:8002', version: 'bot-inactive', action: 'suspend-bot' }]);
    await decideAsOperator(holds, hold?.holdId ?? '', 'approve', reviewNow);
    fixture.emulator.clearJournal();
    expect(await applyReviewHold(d, hold?.holdId ?? '')).toMatchObject({ result: { held: 1, applied: 1 } });
    expect(fixture.emulator.snapshot().networks[0]?.bots.find((b) => b.botId === '8002')?.suspended).toBe(true);
    expect(
      fixture.emulator
        .journal()
        .filter((e) => e.method !== 'GET')
        .map((e) => e.operation),
    ).toEqual(['UpdateBot']);
  });

  it('without holds only reports; a hand-over from a foreign source or for another network is refused', async () => {
    await runToEnd(deps({ rules: { inactiveDays: 90, exempt: [], actions: ['orphan'] } }), run());
    expect(fixture.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
    const envelope = {
      version: '0',
      id: randomUUID(),
      account: '123456789012',
      time: new Date(reviewNow).toISOString(),
      region: 'us-east-1',
      resources: [],
    };
    await expect(
      handleReviewEvent(
        {
          ...envelope,
          source: 'wickr.autopilot.operators',
          'detail-type': 'Wickr Access Review Continued',
          detail: run(),
        },
        deps(),
      ),
    ).rejects.toMatchObject({ code: 'WRONG_SOURCE', retryable: false });
    await expect(
      handleReviewEvent(
        {
          ...envelope,
          source: 'wickr.autopilot.operators',
          'detail-type': 'Wickr Access Review Requested',
          detail: { kind: 'access-review', networkId: '99999999' },
        },
        deps(),
      ),
    ).rejects.toMatchObject({ name: 'AccessReviewInputError', issues: [{ field: 'detail.networkId' }] });
    await expect(reviewSegment(deps(), { ...run(), networkId: '99999999' })).rejects.toMatchObject({
      code: 'NETWORK_NOT_MANAGED',
      retryable: false,
    });
  });
});
