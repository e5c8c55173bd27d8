/** Rotation against a real local DynamoDB and the Wickr emulator: PATCH counts in the journal, guards, dry-run, ticks. */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import type { RotationEvent } from '../../../lib/events/rotation-event.js';
import type { ScheduledEvent } from '../../../lib/events/scheduled-event.js';
import { declareIncident, type IncidentDeps } from '../../../lib/incident/handle-incident.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import type { RotationSection } from '../../../lib/policy-file/rotation-section.js';
import { type RotationUseCaseDeps, rotatePolicy } from '../../../lib/rotation/handle-rotation.js';
import { handleRotationEvent } from '../../../lib/rotation/handle-rotation-event.js';
import type { RotationPlan } from '../../../lib/rotation/rotation-plan.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { HoldStore } from '../../../lib/store/hold-store.js';
import { lockedFields } from '../../../lib/store/incident-locks-view.js';
import { IncidentStateStore } from '../../../lib/store/incident-state-store.js';
import { decideAsOperator } from '../../support/decide-hold.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const policy = loadPolicyFile('infra/policy.yml');
const networkId = '12345678';
const { fixture, db, idempotency } = await startIntegration();
const incidents = new IncidentStateStore(documentClient(db.client), tableNames.state);
const holds = new HoldStore(documentClient(db.client), tableNames.state);
const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const publisher = {
  publish: async (detailType: string, detail: Readonly<Record<string, unknown>>) =>
    void published.push({ detailType, detail: { ...detail } }),
};

function deps(rotation: Partial<RotationSection> = {}): RotationUseCaseDeps {
  return {
    wickr: fixture.client(),
    rotation: { ...policy.rotation, ...rotation },
    locks: (id) => lockedFields(incidents, id),
    concurrency: 4,
    networkIds: [networkId],
    idempotency: idempotency(),
    publisher,
    logger: { info: () => undefined },
    holds,
    holdMs: 86_400_000,
    // Saturday in Berlin, outside the engineering window, whenever the test runs.
    clock: { now: () => saturday },
  };
}

let rule = '';
let saturday = Date.parse('2026-11-28T11:30:00Z');
/** An operator's decision on a hold, as the cockpit writes it, at the test's clock. */
const decide = (holdId: string, decision: 'approve' | 'reject') => decideAsOperator(holds, holdId, decision, saturday);
const decisionEvent = (holdId: string): RotationEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Wickr Hold Decision',
  source: 'wickr.autopilot.operators',
  account: '123456789012',
  time: new Date(saturday).toISOString(),
  region: 'us-east-1',
  resources: [],
  detail: { kind: 'hold-decision', holdId, capability: 'rotation' },
});
// Saturday noon in Berlin: outside the engineering window.
const tick = (time = '2026-11-28T11:00:00Z'): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time,
  region: 'us-east-1',
  resources: [`arn:aws:events:us-east-1:123456789012:rule/${rule}`],
  detail: {},
});
const patches = () => fixture.emulator.journal().filter((e) => e.method === 'PATCH' && e.status === 200);
const settingsOf = (id: string) =>
  fixture.emulator.snapshot().networks[0]?.securityGroups.find((g) => g.id === id)?.securityGroupSettings;

beforeEach(() => {
  fixture.emulator.reset(demoSeed);
  published.length = 0;
  rule = `rotation-${randomUUID().slice(0, 8)}`;
  saturday = Date.parse('2026-11-28T11:30:00Z');
});

describe('policy rotation', () => {
  it('fixes exactly the drift: one PATCH per drifted group with only its fields, and the popup once', async () => {
    const outcome = await rotatePolicy(tick(), deps());
    expect(outcome.networks[0]?.counts).toEqual({ checked: 4, drifted: 1, patched: 1, skipped: 0 });
    expect(patches().map((e) => [e.operation, e.body])).toEqual([
      ['UpdateSecurityGroup', { securityGroupSettings: { maxNonSsoSessionMinutes: 480 } }],
      [
        'UpdateNetworkSettings',
        {
          settings: {
            consentPopup: {
              enabled: true,
              header: 'Acceptable use 2026-Q4',
              content: 'By continuing you accept the acceptable-use policy, version **2026-Q4**.',
              closeButtonLabel: 'I accept',
            },
          },
        },
      ],
    ]);
    expect(settingsOf('sg-engineering')?.maxNonSsoSessionMinutes).toBe(480);
    // No GET per group: the list carries the settings.
    expect(fixture.emulator.journal().filter((e) => e.operation === 'GetSecurityGroup')).toEqual([]);
    expect(published.map((p) => p.detailType)).toEqual(['Wickr Policy Rotated']);
    // The next tick finds nothing to do.
    fixture.emulator.clearJournal();
    rule = `${rule}-next`;
    const again = await rotatePolicy(tick('2026-11-28T12:00:00Z'), deps());
    expect(again.networks[0]?.counts.drifted).toBe(0);
    expect(patches()).toEqual([]);
  });

  it('rotates with the window: office hours bring the longer session back', async () => {
    await rotatePolicy(tick('2026-11-30T08:00:00Z'), deps()); // Monday 09:00 Berlin
    expect(settingsOf('sg-engineering')?.maxNonSsoSessionMinutes).toBe(1440);
    expect(patches().filter((e) => e.operation === 'UpdateSecurityGroup')).toEqual([]);
  });

  it('changes nothing twice for a duplicate or retried tick', async () => {
    const event = tick();
    await rotatePolicy(event, deps());
    fixture.emulator.clearJournal();
    // An admin drifts the group again; the same tick delivered again does not act on it.
    await fixture.client().updateSecurityGroup({
      networkId,
      groupId: 'sg-engineering',
      securityGroupSettings: { maxNonSsoSessionMinutes: 60 },
    });
    fixture.emulator.clearJournal();
    await rotatePolicy({ ...event, id: randomUUID() }, deps());
    expect(fixture.emulator.journal()).toEqual([]);
  });

  it('past its guard, holds the plan before any write; approved, applies exactly the plan shown', async () => {
    const d = deps({ guards: { maxChanges: 0, maxChangePercent: 100 } });
    const outcome = await rotatePolicy(tick(), d);
    const report = outcome.networks[0] as unknown as { status: string; holdId: string; plan: RotationPlan };
    expect(report.status).toBe('held');
    expect(patches()).toEqual([]);
    const created = published.find((p) => p.detailType === 'Wickr Hold Created')?.detail;
    expect(created).toMatchObject({ holdId: report.holdId, safeguard: 'rotation.guards.maxChanges' });
    expect(String(created?.summary)).toContain(`holds approve ${report.holdId} --revision R`);
    // The hold shows the plan: each group's fields from → to, and the popup.
    const hold = await holds.get(report.holdId);
    const shown = report.plan.groups.flatMap((g) => g.changes.map((c) => [g.groupId, c.field, c.to]));
    expect(shown).toEqual([['sg-engineering', 'maxNonSsoSessionMinutes', 480]]);
    expect(hold?.subjects.flatMap((s) => (s.changes ?? []).map((c) => [s.subject, c.field, c.to]))).toEqual([
      ...shown,
      ['consent-popup', 'consentPopup', report.plan.popup?.to],
    ]);
    // The next tick while it waits does not stack another hold.
    rule = `${rule}-next`;
    const again = await rotatePolicy(tick('2026-11-28T12:00:00Z'), d);
    expect((again.networks[0] as unknown as { holdId: string }).holdId).toBe(report.holdId);

    await decide(report.holdId, 'approve');
    fixture.emulator.clearJournal();
    await handleRotationEvent(decisionEvent(report.holdId), d);
    expect(patches().map((e) => [e.operation, e.body])).toEqual([
      ['UpdateSecurityGroup', { securityGroupSettings: { maxNonSsoSessionMinutes: 480 } }],
      ['UpdateNetworkSettings', { settings: { consentPopup: report.plan.popup?.to } }],
    ]);
    expect((await holds.get(report.holdId))?.status).toBe('approved');
    expect(published.find((p) => p.detailType === 'Wickr Hold Decided')?.detail).toMatchObject({
      decision: 'approved',
      applied: 2,
      skipped: 0,
    });
  });

  it('a rotation hold approved after a group was fixed by hand applies only what is still due; rejected, nothing', async () => {
    const d = deps({ guards: { maxChanges: 0, maxChangePercent: 100 } });
    const first = (await rotatePolicy(tick(), d)).networks[0] as unknown as { holdId: string };
    await fixture.client().updateSecurityGroup({
      networkId,
      groupId: 'sg-engineering',
      securityGroupSettings: { maxNonSsoSessionMinutes: 480 },
    });
    await decide(first.holdId, 'approve');
    fixture.emulator.clearJournal();
    await handleRotationEvent(decisionEvent(first.holdId), d);
    expect(patches().map((e) => e.operation)).toEqual(['UpdateNetworkSettings']);

    saturday += 25 * 3_600_000;
    rule = `${rule}-later`;
    await fixture.client().updateSecurityGroup({
      networkId,
      groupId: 'sg-engineering',
      securityGroupSettings: { maxNonSsoSessionMinutes: 60 },
    });
    const second = (await rotatePolicy(tick('2026-11-28T11:00:00Z'), d)).networks[0] as unknown as { holdId: string };
    expect(second.holdId).not.toBe(first.holdId);
    await decide(second.holdId, 'reject');
    fixture.emulator.clearJournal();
    await handleRotationEvent(decisionEvent(second.holdId), d);
    expect(patches()).toEqual([]);
    expect((await holds.get(second.holdId))?.status).toBe('rejected');
  });

  it('dry-run publishes the plan and changes nothing', async () => {
    const outcome = await rotatePolicy(tick(), deps({ dryRun: true }));
    expect(outcome.networks[0]?.status).toBe('dry-run');
    expect(patches()).toEqual([]);
    expect(published[0]).toMatchObject({ detailType: 'Wickr Policy Rotated', detail: { dryRun: true } });
  });

  it('never loosens an incident lockdown, and says so in its report', async () => {
    const incidentDeps: IncidentDeps = {
      wickr: fixture.client(),
      store: incidents,
      playbooks: policy.incident.playbooks,
      concurrency: 4,
      nowMs: Date.now,
      networkIds: [networkId],
      tombstoneDays: 30,
      idempotency: idempotency(),
      publisher,
      logger: { info: () => undefined, warn: () => undefined },
    };
    const incidentId = `ROT-${rule}`;
    await declareIncident(
      {
        ...tick(),
        'detail-type': 'Incident Declared',
        source: 'security.incidents',
        detail: { schemaVersion: '1', incidentId, severity: 'SEV2' },
      },
      { requestId: randomUUID(), remainingMs: () => 60_000 },
      incidentDeps,
    );
    fixture.emulator.clearJournal();
    const outcome = await rotatePolicy(tick('2026-11-30T08:00:00Z'), deps()); // office hours would lengthen to 1440
    expect(settingsOf('sg-engineering')?.maxNonSsoSessionMinutes).toBe(240);
    expect(patches()).toEqual([]);
    expect(outcome.networks[0]?.counts.skipped).toBe(2);
    expect((published.at(-1)?.detail.plan as { skipped: unknown[] } | undefined)?.skipped).toEqual([
      { groupId: 'sg-engineering', field: 'maxNonSsoSessionMinutes', reason: 'held by an active incident lockdown' },
      { groupId: '(network)', field: 'consentPopup', reason: 'held by an active incident lockdown' },
    ]);
    // Leave the shared network record clean for other tests.
    await incidents.resolve(networkId, incidentId, {
      resolvedAt: '2026-11-28T12:00:00Z',
      channel: 'incidents',
      expiresAtMs: Date.now() + 86_400_000,
    });
    for (const lock of (await incidents.readLocks(networkId)).groups)
      await incidents.deleteGroupLock(networkId, lock.groupId);
    await incidents.deletePopupLock(networkId);
  });

  it('gives a lockdown that began during its run the fields it overwrote back', async () => {
    // The run's plan reads no locks; once it has written, a lockdown holds the session and the popup.
    let written = false;
    const wickr = fixture.client();
    const racing: RotationUseCaseDeps = {
      ...deps(),
      wickr: {
        paginateSecurityGroups: (input) => wickr.paginateSecurityGroups(input),
        getNetworkSettings: (input) => wickr.getNetworkSettings(input),
        updateNetworkSettings: (input) => {
          written = true;
          return wickr.updateNetworkSettings(input);
        },
        updateSecurityGroup: (input) => {
          written = true;
          return wickr.updateSecurityGroup(input);
        },
      },
      locks: async () =>
        !written
          ? { groups: new Map(), popup: false }
          : {
              groups: new Map([['sg-engineering', new Map<string, unknown>([['maxNonSsoSessionMinutes', 60]])]]),
              popup: true,
              popupSet: { enabled: true, header: 'SEV1', content: 'Locked down', closeButtonLabel: 'OK' },
            },
    };
    await rotatePolicy(tick(), racing);
    expect(settingsOf('sg-engineering')?.maxNonSsoSessionMinutes).toBe(60);
    const popup = fixture.emulator.snapshot().networks[0]?.consentPopup;
    expect(popup).toMatchObject({ header: 'SEV1', content: 'Locked down' });
    // Only the fields the run wrote and the lockdown holds are written again.
    const engineering = patches().filter((e) => e.path.endsWith('/sg-engineering'));
    expect(engineering.at(-1)?.body).toEqual({ securityGroupSettings: { maxNonSsoSessionMinutes: 60 } });
  });
});
