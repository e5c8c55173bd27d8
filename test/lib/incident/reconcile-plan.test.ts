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
  // Allow-lists: shrunk to these entries where a group has them.
  permittedNetworks: ['11111111', '22222222'],
  permittedWickrAwsNetworks: [{ region: 'us-east-1', networkId: '33333333' }],
  maxTtl: 86_400,
};
// SEV2 keeps a wider list: two incidents' lists meet in their intersection.
const sev2Channels = { permittedNetworks: ['22222222', '44444444'] };
const playbooks = {
  ...shipped,
  SEV1: { ...shipped.SEV1, tighten: { ...shipped.SEV1.tighten, ...channels } },
  SEV2: { ...shipped.SEV2, tighten: { ...shipped.SEV2.tighten, ...sev2Channels } },
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
  'permittedNetworks',
  'permittedWickrAwsNetworks',
  'maxTtl',
];
const networkIdArb = fc.constantFrom('11111111', '22222222', '33333333', '44444444', '55555555');
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
    permittedNetworks: fc.uniqueArray(networkIdArb, { maxLength: 5 }),
    permittedWickrAwsNetworks: fc.uniqueArray(
      fc.record({ networkId: networkIdArb, region: fc.constantFrom('us-east-1', 'eu-west-1') }),
      { maxLength: 4, selector: (n) => `${n.networkId}/${n.region}` },
    ),
    maxTtl: fc.oneof(fc.constant(0), fc.integer({ min: 60, max: 31_536_000 })),
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
            // Exactly: an allow-list in its own order too.
            expect(effectiveValue(field, settingAt(group.settings, field))).toEqual(
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

describe('planReconcile (allow-lists)', () => {
  const sev1: ActiveIncident = { incidentId: 'I1', severity: 'SEV1', declaredAt: '2026-11-28T03:00:00Z' };
  const sev2: ActiveIncident = { incidentId: 'I2', severity: 'SEV2', declaredAt: '2026-11-28T03:05:00Z' };
  const federated: LiveGroup = {
    id: 'g1',
    name: 'eng',
    settings: { permittedNetworks: ['55555555', '22222222', '11111111'], maxNonSsoSessionMinutes: 60 },
  };

  it('shrinks a list to the entries asked for that the group has, in its own order, and puts it back exactly', () => {
    const world = new World([federated]);
    const plan = world.reconcile([sev1]);
    expect(plan.groups[0]?.patch.permittedNetworks).toEqual(['22222222', '11111111']);
    world.reconcile([]);
    expect(world.groups[0]?.settings.permittedNetworks).toEqual(['55555555', '22222222', '11111111']);
  });

  it('meets two incidents in the intersection of their lists, and widens back to SEV2 when SEV1 ends', () => {
    const world = new World([federated]);
    world.reconcile([sev1, sev2]);
    expect(world.groups[0]?.settings.permittedNetworks).toEqual(['22222222']);
    world.reconcile([sev2]);
    expect(world.groups[0]?.settings.permittedNetworks).toEqual(['22222222']);
    world.reconcile([]);
    expect(world.groups[0]?.settings.permittedNetworks).toEqual(['55555555', '22222222', '11111111']);
  });

  it('never adds an entry: a group without the listed networks is left alone', () => {
    const world = new World([{ id: 'g2', name: 'ops', settings: { permittedNetworks: [] } }]);
    const plan = world.plan([sev1]);
    expect(plan.groups[0]?.patch.permittedNetworks).toBeUndefined();
  });

  it('reads a list Wickr returns in another order as unchanged, and an entry an admin added as theirs', () => {
    const world = new World([federated]);
    world.reconcile([sev1]);
    const group = world.groups[0] as MutableGroup;
    group.settings = { ...group.settings, permittedNetworks: ['11111111', '22222222'] };
    expect(world.plan([sev1]).groups[0]?.changes).toEqual([]);
    group.settings = { ...group.settings, permittedNetworks: ['11111111', '22222222', '66666666'] };
    const lifted = world.plan([]);
    expect(lifted.groups[0]?.conflicts).toEqual([
      expect.objectContaining({ field: 'permittedNetworks', found: ['11111111', '22222222', '66666666'] }),
    ]);
    expect(lifted.groups[0]?.patch.permittedNetworks).toBeUndefined();
  });
});
