import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../../../lib/rotation/policy-at.js';
import { type LiveRotationGroup, planRotation, type RotationPlan } from '../../../lib/rotation/rotation-plan.js';
import { consentPopupSetting, readConsentPopup } from '../../../lib/wickr/consent-popup.js';

const noLocks = { groups: new Map<string, Map<string, unknown>>(), popup: false };
const value = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.boolean());
const settings = fc.dictionary(
  fc.constantFrom('lockoutThreshold', 'maxNonSsoSessionMinutes', 'alwaysReauthenticate', 'maxTtl'),
  value,
);
const calling = fc.record({ canVideoCall: fc.boolean(), canStart11Call: fc.boolean() }, { requiredKeys: [] });
const groupsArb = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^g[0-9]{1,3}$/),
    name: fc.constant('n'),
    isDefault: fc.boolean(),
    settings: fc.record({ base: settings, calling: fc.option(calling, { nil: undefined }) }),
  }),
  { selector: (g) => g.id, maxLength: 10 },
);

function apply(groups: LiveRotationGroup[], plan: RotationPlan): LiveRotationGroup[] {
  return groups.map((g) => {
    const step = plan.groups.find((s) => s.groupId === g.id);
    if (!step) return g;
    const merged: Record<string, unknown> = { ...g.settings };
    for (const [k, v] of Object.entries(step.patch)) {
      const prior = merged[k];
      merged[k] =
        v && typeof v === 'object' && !Array.isArray(v) && prior && typeof prior === 'object' ? { ...prior, ...v } : v;
    }
    return { ...g, settings: merged };
  });
}

describe('planRotation (property-based)', () => {
  it('applying the plan yields the desired state, and a second plan is empty', () => {
    fc.assert(
      fc.property(
        groupsArb,
        fc.dictionary(
          fc.stringMatching(/^g[0-9]{1,3}$/),
          fc.record({ base: settings, calling: fc.option(calling, { nil: undefined }) }),
        ),
        (raw, wants) => {
          const groups: LiveRotationGroup[] = raw.map((g) => ({
            ...g,
            settings: { ...g.settings.base, ...(g.settings.calling ? { calling: g.settings.calling } : {}) },
          }));
          const desired: DesiredState = {
            groups: new Map(
              Object.entries(wants).map(([id, w]) => [id, { ...w.base, ...(w.calling ? { calling: w.calling } : {}) }]),
            ),
          };
          const plan = planRotation(desired, groups, { status: 'absent' }, noLocks);
          const after = apply(groups, plan);
          for (const group of after) {
            const want = desired.groups.get(group.id) ?? {};
            for (const [field, v] of Object.entries(want)) {
              if (v && typeof v === 'object') expect(group.settings[field]).toMatchObject(v);
              else expect(group.settings[field]).toEqual(v);
            }
          }
          expect(planRotation(desired, after, { status: 'absent' }, noLocks).groups).toEqual([]);
          // Only drifted fields are sent.
          for (const step of plan.groups) expect(Object.keys(step.patch).length).toBe(step.changes.length);
        },
      ),
    );
  });
});

describe('planRotation (cases)', () => {
  const groups: LiveRotationGroup[] = [
    { id: 'g1', name: 'eng', isDefault: false, settings: { maxNonSsoSessionMinutes: 60, lockoutThreshold: 5 } },
  ];
  const desired: DesiredState = {
    groups: new Map([['g1', { maxNonSsoSessionMinutes: 480, lockoutThreshold: 5 }]]),
    popup: { enabled: true, header: 'AUP 2026-Q4', content: 'c', closeButtonLabel: 'OK' },
  };

  it('leaves fields and the popup an incident lockdown holds, and says so', () => {
    const plan = planRotation(
      desired,
      groups,
      { status: 'absent' },
      { groups: new Map([['g1', new Map([['maxNonSsoSessionMinutes', 60]])]]), popup: true },
    );
    expect(plan.groups).toEqual([]);
    expect(plan.popup).toBeUndefined();
    expect(plan.skipped.map((s) => s.field)).toEqual(['maxNonSsoSessionMinutes', 'consentPopup']);
  });

  it('updates the popup only when it differs', () => {
    const same = readConsentPopup([consentPopupSetting(desired.popup as NonNullable<DesiredState['popup']>)]);
    expect(planRotation(desired, groups, same, noLocks).popup).toBeUndefined();
    expect(planRotation(desired, groups, { status: 'absent' }, noLocks).popup).toEqual({
      from: null,
      to: desired.popup,
    });
  });
});
