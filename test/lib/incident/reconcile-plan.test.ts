import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActiveIncident, GroupLock, NetworkLocks } from '../../../lib/incident/incident-records.js';
import { lockdownTarget } from '../../../lib/incident/lockdown-target.js';
import {
  type LiveGroup,
  normalizePopup,
  planReconcile,
  type ReconcilePlan,
} from '../../../lib/incident/reconcile-plan.js';
import { loadPolicyFile } from '../../../lib/policy-file/policy-file.js';
import { flatTighten, settingAt } from '../../../lib/security-settings/settings-table.js';
import {
  compareStrictness,
  effectiveValue,
  type TightenableSetting,
} from '../../../lib/security-settings/strictness.js';
import { consentPopupSetting, readConsentPopup } from '../../../lib/wickr/consent-popup.js';

// The shipped playbooks, with SEV1 closing the channels outside the network as a playbook may.
const shipped = loadPolicyFile('infra/policy.yml').incident.playbooks;
const channels = {
  globalFederation: false,
  enableGuestFederation: false,
  locationEnabled: false,
  // A setting of several fields: each tightened on its own, the others kept.
  calling: { canVideoCall: false, forceTcpCall: true },
  passwordRequirements: { minLength: 14 },
};
const playbooks = {
  ...shipped,
  SEV1: { ...shipped.SEV1, tighten: { ...shipped.SEV1.tighten, ...channels } },
};

/** Applies plans to an in-memory network and lock store, as the apply layer does against Wickr and DynamoDB. */
type MutableGroup = { id: string; name: string; settings: Record<string, unknown> };

class World {
  groups: MutableGroup[];
  locks: GroupLock[] = [];
  popupLock: NetworkLocks['popup'];
  popup = normalizePopup({ enabled: false, closeButtonLabel: 'Acknowledge' });
  constructor(groups: LiveGroup[]) {
    this.groups = groups.map((g) => ({ ...g, settings: { ...g.settings } }));
  }
  plan(active: ActiveIncident[]): ReconcilePlan {
    const target = lockdownTarget(active, playbooks, this.groups);
    return planReconcile(
      target,
      this.groups,
      { groups: this.locks, popup: this.popupLock },
      readConsentPopup([consentPopupSetting(this.popup)]),
    );
  }
  apply(plan: ReconcilePlan): void {
    for (const step of plan.groups) {
      const group = this.groups.find((g) => g.id === step.groupId);
      const others = this.locks.filter((l) => l.groupId !== step.groupId);
      const read = this.locks.find((l) => l.groupId === step.groupId);
      if (step.lockBefore)
        this.locks = [
          ...others,
          { groupId: step.groupId, fields: step.lockBefore, revision: (read?.revision ?? 0) + 1 },
        ];
      if (group) group.settings = { ...group.settings, ...step.patch };
      if (step.lockAfter === null) this.locks = others;
      else if (step.lockAfter)
        this.locks = [...others, { groupId: step.groupId, fields: step.lockAfter, revision: 99 }];
    }
    const p = plan.popup;
    if (p.lockBefore) this.popupLock = p.lockBefore;
    if (p.send) this.popup = p.send;
    if (p.lockAfter === null) this.popupLock = undefined;
  }
  reconcile(active: ActiveIncident[]): ReconcilePlan {
    const plan = this.plan(active);
    this.apply(plan);
    return plan;
  }
}

const fields: TightenableSetting[] = [
  'maxNonSsoSessionMinutes',
  'alwaysReauthenticate',
  'lockoutThreshold',
  'globalFederation',
  'enableGuestFederation',
  'locationEnabled',
  'calling.canVideoCall',
  'calling.forceTcpCall',
  'calling.canStart11Call',
  'passwordRequirements.minLength',
];
const severity = fc.constantFrom('SEV1', 'SEV2', 'SEV3', 'SEV4') as fc.Arbitrary<'SEV1' | 'SEV2' | 'SEV3' | 'SEV4'>;
const settingsArb = fc.record(
  {
    maxNonSsoSessionMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 60, max: 525_600 })),
    alwaysReauthenticate: fc.boolean(),
    lockoutThreshold: fc.integer({ min: 0, max: 20 }),
    globalFederation: fc.boolean(),
    enableGuestFederation: fc.boolean(),
    locationEnabled: fc.boolean(),
    calling: fc.record(
      { canStart11Call: fc.boolean(), canVideoCall: fc.boolean(), forceTcpCall: fc.boolean() },
      { requiredKeys: [] },
    ),
    passwordRequirements: fc.record(
      { minLength: fc.integer({ min: 0, max: 30 }), symbols: fc.integer({ min: 0, max: 3 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const groupsArb = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^g[0-9]{1,3}$/),
    name: fc.constantFrom('finance', 'eng', 'ops'),
    settings: settingsArb,
  }),
  {
    minLength: 1,
    maxLength: 8,
    selector: (g) => g.id,
  },
);
const incidentsArb = fc.uniqueArray(
  fc.record({
    incidentId: fc.stringMatching(/^INC-[0-9]{1,3}$/),
    severity,
    declaredAt: fc.constant('2026-11-28T03:00:00Z'),
  }),
  { minLength: 1, maxLength: 4, selector: (i) => i.incidentId },
);

describe('planReconcile (property-based)', () => {
  it('locks every targeted field at least as strict as the strictest playbook, never loosening one', () => {
    fc.assert(
      fc.property(groupsArb, incidentsArb, (groups, incidents) => {
        const world = new World(groups);
        world.reconcile(incidents);
        for (const group of world.groups) {
          const before = groups.find((g) => g.id === group.id)?.settings ?? {};
          for (const field of fields) {
            const now = effectiveValue(field, settingAt(group.settings, field));
            const was = effectiveValue(field, settingAt(before, field));
            expect(compareStrictness(field, now, was)).toBeLessThanOrEqual(0);
            for (const incident of incidents) {
              const asked =
                field === 'maxNonSsoSessionMinutes'
                  ? playbooks[incident.severity].maxNonSsoSessionMinutes
                  : flatTighten(playbooks[incident.severity].tighten)[field];
              if (asked !== undefined) expect(compareStrictness(field, now, asked)).toBeLessThanOrEqual(0);
            }
          }
        }
      }),
    );
  });

  it('is idempotent: a second plan changes nothing', () => {
    fc.assert(
      fc.property(groupsArb, incidentsArb, (groups, incidents) => {
        const world = new World(groups);
        world.reconcile(incidents);
        const again = world.plan(incidents);
        expect(again.groups.flatMap((g) => g.changes)).toEqual([]);
        expect(again.popup.send).toBeUndefined();
      }),
    );
  });

  it('restores every effective value and the popup once the last incident resolves, in any order of resolution', () => {
    fc.assert(
      fc.property(groupsArb, incidentsArb, fc.boolean(), (groups, incidents, reverse) => {
        const world = new World(groups);
        const popupBefore = world.popup;
        const active = [...incidents];
        world.reconcile(active);
        const order = reverse ? [...incidents].reverse() : incidents;
        for (const incident of order) {
          active.splice(active.indexOf(incident), 1);
          world.reconcile(active);
        }
        for (const group of world.groups) {
          const before = groups.find((g) => g.id === group.id)?.settings ?? {};
          for (const field of fields) {
            expect(effectiveValue(field, settingAt(group.settings, field))).toBe(
              effectiveValue(field, settingAt(before, field)),
            );
          }
        }
        expect(world.popup).toEqual(popupBefore);
        expect(world.locks).toEqual([]);
        expect(world.popupLock).toBeUndefined();
      }),
    );
  });
});

describe('planReconcile (cases)', () => {
  const groups: LiveGroup[] = [{ id: 'g1', name: 'finance', settings: { maxNonSsoSessionMinutes: 1440 } }];
  const sev2: ActiveIncident = { incidentId: 'I', severity: 'SEV2', declaredAt: '2026-11-28T03:00:00Z' };

  it('records each change before making it, then keeps the entry while locked', () => {
    const plan = new World(groups).plan([sev2]);
    const [step] = plan.groups;
    expect(step?.lockBefore).toEqual({
      maxNonSsoSessionMinutes: { original: 1440, set: 240, prev: 1440 },
      alwaysReauthenticate: { original: false, set: true, prev: false },
    });
    expect(step?.patch).toEqual({ maxNonSsoSessionMinutes: 240, alwaysReauthenticate: true });
    expect(step?.lockAfter).toBeUndefined();
  });

  it('reports a field an admin changed during the lockdown, keeps it, and drops its entry', () => {
    const world = new World(groups);
    world.reconcile([sev2]);
    const group = world.groups[0] as MutableGroup;
    group.settings = { ...group.settings, maxNonSsoSessionMinutes: 90 };
    const plan = world.plan([]);
    expect(plan.groups[0]?.conflicts).toEqual([
      { field: 'maxNonSsoSessionMinutes', original: 1440, ours: 240, found: 90 },
    ]);
    expect(plan.groups[0]?.patch).toEqual({ alwaysReauthenticate: false });
    expect(plan.groups[0]?.lockAfter).toBeNull();
  });

  it('leaves a popup it cannot read alone and says why', () => {
    const target = lockdownTarget([sev2], playbooks, groups);
    const plan = planReconcile(target, groups, { groups: [] }, { status: 'unreadable', entries: [] });
    expect(plan.popup.send).toBeUndefined();
    expect(plan.popup.skipped).toMatch(/cannot read/);
  });

  it('drops entries of groups deleted during the incident', () => {
    const world = new World(groups);
    world.reconcile([sev2]);
    world.groups = [];
    expect(world.plan([]).groups).toEqual([expect.objectContaining({ groupId: 'g1', lockAfter: null, changes: [] })]);
  });
});
