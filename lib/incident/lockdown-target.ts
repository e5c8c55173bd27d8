import { createHash } from 'node:crypto';
import type { GroupSelector } from '../events/incident-events.js';
import { compileGlob } from '../glob.js';
import type { Playbook } from '../policy-file/incident-section.js';
import { type Severity, severities } from '../policy-file/vocabulary.js';
import { flatTighten } from '../security-settings/settings-table.js';
import { type SettingValue, stricterOf, type TightenableSetting } from '../security-settings/strictness.js';
import type { ActiveIncident, PopupConfig, ReachedTarget } from './incident-records.js';
import { renderPopup } from './render-popup.js';

/** What the active incidents ask of a network: per group, the values each tightened setting must not exceed. */
export interface LockdownTarget {
  readonly groups: ReadonlyMap<string, Partial<Record<TightenableSetting, SettingValue>>>;
  /** The popup of the strictest incident; undefined when none is active. */
  readonly popup?: PopupConfig | undefined;
  /** The incident whose popup is shown. */
  readonly popupIncidentId?: string | undefined;
  /** An active incident's playbook blocks every guest of the network. */
  readonly blockGuests: boolean;
  /** Group ids and name patterns of active incidents that select no group of the network: reported, not guessed. */
  readonly unmatched: readonly UnmatchedSelector[];
}

/** What an incident's group selector names that the network does not have. */
export interface UnmatchedSelector {
  readonly incidentId: string;
  readonly ids: readonly string[];
  readonly namePatterns: readonly string[];
  /** Nothing of the selector matched: the incident selects no group of the network at all. */
  readonly matchesNothing: boolean;
}

/** The ids a selector names that no group has, and its patterns that match no group's name. */
function unmatchedOf(
  incident: ActiveIncident,
  groups: readonly { id: string; name: string }[],
): UnmatchedSelector | undefined {
  const selector = incident.groups;
  if (!selector) return undefined;
  const present = new Set(groups.map((g) => g.id));
  const ids = (selector.ids ?? []).filter((id) => !present.has(id));
  const namePatterns = (selector.namePatterns ?? []).filter((pattern) => {
    const matches = compileGlob(pattern);
    return !groups.some((g) => matches(g.name.trim()));
  });
  const matchesNothing =
    ids.length === (selector.ids ?? []).length && namePatterns.length === (selector.namePatterns ?? []).length;
  return ids.length + namePatterns.length > 0
    ? { incidentId: incident.incidentId, ids, namePatterns, matchesNothing }
    : undefined;
}

/** A selector compiled once per reconcile: whether a group falls under it (all groups when there is none). */
export function groupSelection(selector: GroupSelector | undefined): (group: { id: string; name: string }) => boolean {
  if (!selector) return () => true;
  const ids = new Set(selector.ids ?? []);
  const patterns = (selector.namePatterns ?? []).map(compileGlob);
  return (group) => ids.has(group.id) || patterns.some((matches) => matches(group.name.trim()));
}

const rank = (severity: Severity) => severities.indexOf(severity);

/** Strictest first: by severity, then the earlier declaration, then the id, so every run picks the same one. */
export function byStrictness(a: ActiveIncident, b: ActiveIncident): number {
  return (
    rank(a.severity) - rank(b.severity) ||
    a.declaredAt.localeCompare(b.declaredAt) ||
    a.incidentId.localeCompare(b.incidentId)
  );
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);

/** What a playbook asks of every group it selects. */
const asksOf = (playbook: Playbook): Partial<Record<TightenableSetting, SettingValue>> => ({
  maxNonSsoSessionMinutes: playbook.maxNonSsoSessionMinutes,
  ...flatTighten(playbook.tighten),
});

/**
 * What a lockdown target is made of, without the groups: one digest per distinct (asks, selector) pair of the active
 * incidents, and one of the popup. Two sets of incidents with the same basis ask the same of the same groups, so a
 * storm of facts that leaves the basis alone needs no Wickr request at all.
 */
export interface TargetBasis {
  /** Sorted, distinct. */
  readonly asks: readonly string[];
  readonly popup?: string | undefined;
  readonly popupIncidentId?: string | undefined;
}

/** The basis of what these incidents ask for. */
export function targetBasis(active: readonly ActiveIncident[], playbooks: Readonly<Record<Severity, Playbook>>) {
  const asks = new Set(
    active.map((i) => digest([asksOf(playbooks[i.severity]), i.groups ?? null, playbooks[i.severity].guests])),
  );
  const first = [...active].sort(byStrictness)[0];
  return {
    asks: [...asks].sort(),
    popup: first && digest(renderPopup(playbooks[first.severity], first)),
    popupIncidentId: first?.incidentId,
  } satisfies TargetBasis;
}

/** Whether the network, brought to `reached`, is already at the target of `basis`. */
export const sameBasis = (basis: TargetBasis, reached: ReachedTarget) =>
  basis.popup === reached.popup && basis.asks.join() === reached.asks.join();

/**
 * Whether `basis` may ask more than `reached` gave: an (asks, selector) pair not there before, or a popup where there
 * was none. Otherwise it only loosens or rewords — a target that may wait for a storm to pass.
 */
export function tightens(basis: TargetBasis, reached: ReachedTarget): boolean {
  const before = new Set(reached.asks);
  return basis.asks.some((a) => !before.has(a)) || (basis.popup !== undefined && reached.popup === undefined);
}

/**
 * The unmatched selectors of the active incidents, from what the last full pass found missing: exact while the
 * groups are those it read, since every selector of `active` was part of its basis.
 */
export function unmatchedFrom(active: readonly ActiveIncident[], reached: ReachedTarget): UnmatchedSelector[] {
  const missingIds = new Set(reached.unmatchedIds);
  const missingPatterns = new Set(reached.unmatchedPatterns);
  return [...active].sort(byStrictness).flatMap((incident) => {
    const ids = (incident.groups?.ids ?? []).filter((id) => missingIds.has(id));
    const namePatterns = (incident.groups?.namePatterns ?? []).filter((p) => missingPatterns.has(p));
    const matchesNothing =
      ids.length === (incident.groups?.ids ?? []).length &&
      namePatterns.length === (incident.groups?.namePatterns ?? []).length;
    return ids.length + namePatterns.length > 0
      ? [{ incidentId: incident.incidentId, ids, namePatterns, matchesNothing }]
      : [];
  });
}

/** The lockdown the active incidents ask for: the strictest value per group and setting, and one popup. */
export function lockdownTarget(
  active: readonly ActiveIncident[],
  playbooks: Readonly<Record<Severity, Playbook>>,
  groups: readonly { id: string; name: string }[],
): LockdownTarget {
  const ordered = [...active].sort(byStrictness);
  const target = new Map<string, Partial<Record<TightenableSetting, SettingValue>>>();
  for (const incident of ordered) {
    const asks = asksOf(playbooks[incident.severity]);
    const selects = groupSelection(incident.groups);
    for (const group of groups) {
      if (!selects(group)) continue;
      const current = target.get(group.id) ?? {};
      for (const [setting, value] of Object.entries(asks) as [TightenableSetting, SettingValue][]) {
        const prior = current[setting];
        current[setting] = prior === undefined ? value : stricterOf(setting, prior, value);
      }
      target.set(group.id, current);
    }
  }
  const first = ordered[0];
  const unmatched = ordered.flatMap((incident) => unmatchedOf(incident, groups) ?? []);
  // Guests are the network's, not a group's: a selector does not narrow them.
  const blockGuests = ordered.some((incident) => playbooks[incident.severity].guests === 'block-all');
  return first
    ? {
        groups: target,
        popup: renderPopup(playbooks[first.severity], first),
        popupIncidentId: first.incidentId,
        unmatched,
        blockGuests,
      }
    : { groups: target, unmatched, blockGuests };
}

/** The settings of `names` that the target asks of any group. */
export function askedOf(target: LockdownTarget, names: readonly string[]): TightenableSetting[] {
  const asked = new Set<TightenableSetting>();
  for (const asks of target.groups.values()) {
    for (const name of names) if (name in asks) asked.add(name as TightenableSetting);
  }
  return [...asked].sort();
}

/** The target without asking for `settings`: a field a lockdown holds of them is then put back, as when lifted. */
export function withoutSettings(target: LockdownTarget, settings: readonly TightenableSetting[]): LockdownTarget {
  const groups = new Map(
    [...target.groups].map(([groupId, asks]) => {
      const kept = { ...asks };
      for (const setting of settings) delete kept[setting];
      return [groupId, kept] as const;
    }),
  );
  return { ...target, groups };
}
