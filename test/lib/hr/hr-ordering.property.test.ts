/**
 * Property: whatever the order, duplication and batching of one employee's facts, the Wickr user ends as the
 * latest fact says (by time, the HR system's sequence inside one clock-skew window; ties by kind, then id) — sequentially or in concurrent batches, against a real local DynamoDB and the Wickr emulator.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HrQueueDeps, handleHrQueue } from '../../../lib/hr/handle-hr-queue.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { originIssues } from '../../../lib/runtime/middlewares.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../../lib/store/employee-record-store.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { HrMappingStore } from '../../../lib/store/hr-mapping-store.js';
import { SafeguardWindowStore } from '../../../lib/store/safeguard-window-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);

const deps = (): HrQueueDeps => ({
  wickr: fixture.client(),
  mappings: new HrMappingStore(doc, tableNames.state),
  records: new EmployeeRecordStore(doc, tableNames.state, policy.hr.leaverRecordDays * 86_400),
  hr: { ...policy.hr, maxCreatedGroupsPerNetwork: 10_000, allowedDepartments: undefined, createGroups: 'any' },
  networkIds: [networkId],
  // These tests are about reconciling, not the deprovisioning safeguard (tested on its own): never trips here.
  safeguards: {
    rules: { ...policy.safeguards, hr: { maxDeprovisionsPerHour: 100_000, maxDeprovisionPercent: 100 } },
    windows: new SafeguardWindowStore(doc, tableNames.state, 'HR#'),
    holds: new HoldStore(doc, tableNames.state),
  },
  holder: randomUUID(),
  clock: { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), remainingMs: () => 30_000, pollMs: 10 },
  followUp: { send: async () => undefined },
  publisher: { publish: async () => undefined },
  logger: { info: () => undefined, warn: () => undefined },
  originIssues: (event) => originIssues(event, { sources: ['hr.system'], maxFutureSkewMs: 300_000 }, undefined),
  refuse: async () => false,
});

type Kind = 'Employee Onboarded' | 'Employee Transferred' | 'Employee Offboarded';
const factArb = fc.record({
  kind: fc.constantFrom<Kind>('Employee Onboarded', 'Employee Transferred', 'Employee Offboarded'),
  department: fc.constantFrom('Alpha', 'Beta', 'Gamma'),
  // Minutes 0–12 span three windows of the HR system's sequence (5 minutes each).
  minute: fc.integer({ min: 0, max: 12 }),
  sequence: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
});

describe('HR facts in any order', () => {
  it('end as the latest fact says, however delivered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(factArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 3 }),
        async (facts, order, batches) => {
          const run = randomUUID().slice(0, 6);
          const employeeId = `${run}-p`;
          const username = `${run}-p@example.com`;
          const events = facts.map((f, i) => ({
            version: '0',
            id: `${run}-${i}`,
            'detail-type': f.kind,
            source: 'hr.system',
            account: '123456789012',
            time: new Date(Date.UTC(2026, 10, 28, 9, f.minute)).toISOString(),
            region: 'us-east-1',
            resources: [],
            detail: {
              employeeId,
              networkId,
              ...(f.kind === 'Employee Offboarded' ? {} : { department: `${run}${f.department}` }),
              ...(f.kind === 'Employee Onboarded' ? { username } : {}),
              ...(f.sequence === undefined ? {} : { sequence: f.sequence }),
            },
          }));
          // Shuffled, some delivered twice, split into batches delivered one after another.
          const deliveries = events.flatMap((e, i) => ((order[i] ?? 0) % 3 === 0 ? [e, e] : [e]));
          deliveries.sort((a, b) => ((order[events.indexOf(a)] ?? 0) % 7) - ((order[events.indexOf(b)] ?? 0) % 7));
          const size = Math.ceil(deliveries.length / batches);
          const sqsBatches = [];
          for (let i = 0; i < deliveries.length; i += size) {
            const Records = deliveries
              .slice(i, i + size)
              .map((e) => ({ messageId: randomUUID(), body: JSON.stringify(e) }));
            sqsBatches.push({ Records });
          }
          // One after another, or all at once in concurrent environments (their claims then coalesce).
          if ((order[7] ?? 0) % 2 === 0) {
            for (const b of sqsBatches) expect(await handleHrQueue(b, deps())).toMatchObject({ batchItemFailures: [] });
          } else {
            const answers = await Promise.all(sqsBatches.map((b) => handleHrQueue(b, deps())));
            for (const a of answers) expect(a).toMatchObject({ batchItemFailures: [] });
          }
          // The oracle: the latest fact by time, the sequence deciding only inside one 5-minute window (ties:
          // leaving, then moving, then joining; then the event id).
          const rank = { 'Employee Onboarded': 0, 'Employee Transferred': 1, 'Employee Offboarded': 2 };
          const window = (e: (typeof events)[number]) => Math.floor(Date.parse(e.time) / 300_000);
          const sequence = (e: (typeof events)[number]) => (e.detail as { sequence?: number }).sequence ?? 0;
          const [latest] = [...events]
            .sort(
              (a, b) =>
                window(a) - window(b) ||
                sequence(a) - sequence(b) ||
                a.time.localeCompare(b.time) ||
                rank[a['detail-type']] - rank[b['detail-type']] ||
                a.id.localeCompare(b.id),
            )
            .reverse();
          if (!latest) return;
          const onboarded = events.some((e) => e['detail-type'] === 'Employee Onboarded');
          const network = fixture.emulator.snapshot().networks[0];
          const user = network?.users.find((u) => u.username === username);
          if (latest['detail-type'] === 'Employee Offboarded') {
            expect(user?.suspended ?? true).toBe(true);
          } else if (!onboarded) {
            expect(user).toBeUndefined();
          } else {
            const group = network?.securityGroups.find(
              (g) => g.name === String(latest.detail.department).toLowerCase(),
            );
            expect(user).toMatchObject({ suspended: false, securityGroupIds: [group?.id] });
          }
        },
      ),
      { numRuns: Number(process.env.HR_PROPERTY_RUNS ?? 40), seed: 11 },
    );
  }, 120_000);
});
