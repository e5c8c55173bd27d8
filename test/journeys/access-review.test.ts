/**
 * An access review on the local stack as deployed: the weekly schedule fired (and `ops access-review` asked), the
 * review function reading the emulator's network and the HR records, the report in the reports bucket, the outcome
 * on the bus; its proposal waiting in a hold until the operators approve it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, startLocalStack } from '../../infra/local/local-stack.js';
import { runAccessReview } from '../../infra/ops/access-review.js';
import { decideHold, listHolds } from '../../infra/ops/holds.js';
import { targetOf } from '../../infra/ops/ops-target.js';
import type { ReviewReport } from '../../lib/access-review/review-report.js';
import { holdRevision } from '../../lib/holds/hold.js';
import { reportObjects } from '../../lib/runtime/report-objects.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import { expectedClasses, provisionReviewEmployees, reviewSeed } from '../support/access-review-seed.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const operators = 'arn:aws:iam::000000000000:role/operators';
const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  seed: reviewSeed(),
  params: { operatorsRoleArn: operators },
  identities: new Map([['OPSKEY', operators]]),
});
afterAll(() => stack.close());

const target = targetOf(endpointsOf(stack), { service: stack.service });
const bucket = stack.service.buckets.find((b) => b.logicalId === 'ReportsBucket')?.name ?? '';
const objects = reportObjects(
  new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
  bucket,
);
const completed = () =>
  stack.bus.events.filter(
    (e) => e.event.source === 'wickr.autopilot' && e.event['detail-type'] === 'Wickr Access Review Completed',
  );

/** RFC 4180 as the report writes it: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1] ?? ''))
    .map((cells) => cells.map((c) => (c.startsWith('"') ? c.slice(1, -1).replaceAll('""', '"') : c)));
}

beforeAll(async () => {
  const records = new EmployeeRecordStore(
    documentClient(stack.dynamodb.client),
    String(stack.service.providerEnvironment.STATE_TABLE),
    400 * 86_400,
  );
  await provisionReviewEmployees(records, 'E');
});

describe('access review on the local stack', () => {
  it('the weekly schedule reviews every account; CSV and JSON in the bucket agree, and so does the event', async () => {
    const fired = await fetch(
      new URL('/_local/schedules/wickr-autopilot-local-access-review/fire', stack.eventBridgeEndpoint),
      { method: 'POST', body: JSON.stringify({ time: '2026-11-30T05:00:00Z' }) },
    );
    expect(fired.status).toBe(200);
    await stack.bus.drain();
    const [event] = completed();
    const detail = event?.event.detail as { objects: { csv: string; json: string }; counts: Record<string, number> };
    expect(detail.objects.json).toMatch(/^access-reviews\/12345678\/2026-11-30\/12345678-20261130t0500z\.json$/);
    const report = JSON.parse(await objects.getText(detail.objects.json)) as ReviewReport;
    expect(Object.fromEntries(report.rows.map((r) => [r.userId, r.class]))).toEqual(expectedClasses);
    expect(detail.counts).toEqual(report.counts);
    const [header, ...rows] = parseCsv(await objects.getText(detail.objects.csv));
    expect(header?.[0]).toBe('userId');
    expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual(report.rows.map((r) => [r.userId, r.class, r.evidence]));
    // Nobody's name or address in the event; no Wickr write by the review itself.
    expect(JSON.stringify(event?.event)).not.toMatch(/example\.com/);
    expect(stack.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('ops access-review runs one now and reads the report; its leaver waits in a hold the operators approve', async () => {
    const result = await runAccessReview(target, { network: '12345678', stage: 'local', timeoutMs: 60_000 });
    expect(result.reports).toHaveLength(1);
    const [report] = result.reports;
    expect(report?.counts['leaver-active']).toBe(1);
    expect(report?.rows.find((r) => r.class === 'leaver-active')?.userId).toBe('2003');
    const csv = await result.csvOf(report as NonNullable<typeof report>);
    expect(parseCsv(csv)).toHaveLength(12);
    // The shipped policy proposes suspending leavers: a hold, nothing applied by the review.
    const holds = (await listHolds(target)).filter((h) => h.capability === 'review' && h.status === 'open');
    const hold = holds.find((h) => h.holdId === report?.holdId);
    expect(hold?.subjects.map((s) => s.userId)).toEqual(['2003']);
    const user = (id: string) => stack.emulator.snapshot().networks[0]?.users.find((u) => u.userId === id);
    expect(user('2003')?.suspended).toBe(false);
    const asOperators = { ...target, credentials: { accessKeyId: 'OPSKEY', secretAccessKey: 'x' } };
    const decided = await decideHold(asOperators, hold?.holdId ?? '', 'approve', {
      revision: holdRevision(hold?.subjects ?? []),
      count: hold?.subjects.length ?? 0,
      waitMs: 30_000,
    });
    expect(decided.outcome).toMatchObject({ decision: 'approved', applied: 1, skipped: 0 });
    expect(user('2003')?.suspended).toBe(true);
  });
});

describe('access review on the local stack, under faults and hand-overs', () => {
  it('hands over between invocations and reports every account once, in its class, through 429s and 5xx', async () => {
    // Invocations of 31 s: each reads for the one second before its 30 s hand-over margin, then hands over.
    const faulty = await startLocalStack({
      dynamodb: dynamoKind,
      retryDelaysMs: [50, 100],
      logLevel: 'CRITICAL',
      seed: reviewSeed(230),
      timeoutSeconds: 31,
      environment: { WICKR_REQUESTS_PER_SECOND: '600' },
    });
    try {
      await provisionReviewEmployees(
        new EmployeeRecordStore(
          documentClient(faulty.dynamodb.client),
          String(faulty.service.providerEnvironment.STATE_TABLE),
          400 * 86_400,
        ),
        'F',
      );
      faulty.emulator.setFaults({
        seed: 7,
        errorRates: { '429': 0.1, '500': 0.05, '503': 0.05 },
        operations: ['ListUsers', 'GetUser'],
      });
      const fired = await fetch(
        new URL('/_local/schedules/wickr-autopilot-local-access-review/fire', faulty.eventBridgeEndpoint),
        { method: 'POST', body: JSON.stringify({ time: '2026-11-30T05:00:00Z' }) },
      );
      expect(fired.status).toBe(200);
      await faulty.bus.drain();
      const done = faulty.bus.events.filter((e) => e.event['detail-type'] === 'Wickr Access Review Completed');
      expect(done).toHaveLength(1);
      const detail = done[0]?.event.detail as { objects: { json: string }; parts: number };
      expect(detail.parts).toBeGreaterThan(1);
      const bucketName = faulty.service.buckets.find((b) => b.logicalId === 'ReportsBucket')?.name ?? '';
      const store = reportObjects(
        new S3Objects(faulty.region, faulty.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
        bucketName,
      );
      const report = JSON.parse(await store.getText(detail.objects.json)) as ReviewReport;
      const classes = Object.fromEntries(report.rows.map((r) => [r.userId, r.class]));
      expect(report.rows).toHaveLength(241);
      expect(Object.keys(classes)).toHaveLength(241);
      expect(Object.fromEntries(Object.entries(classes).filter(([id]) => id < '3000'))).toEqual(expectedClasses);
      expect(report.counts.orphan).toBe(231);
      expect(faulty.emulator.journal().filter((e) => e.status === 429).length).toBeGreaterThan(0);
      expect(faulty.bus.failures()).toEqual([]);
    } finally {
      await faulty.close();
    }
  }, 240_000);
});
