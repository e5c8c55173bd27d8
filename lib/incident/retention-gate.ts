/**
 * Shortening message lifetimes (`maxTtl`, `maxBor`) destroys evidence unless the network's data retention keeps the
 * messages: a lockdown applies those settings only while its retention bot exists and is active and the service is
 * on, and puts them back otherwise. The reconcile and the preview decide it here, alike.
 */

import type { Playbook } from '../policy-file/incident-section.js';
import type { Severity } from '../policy-file/vocabulary.js';
import { retentionSettingsOf, securityGroupSettingTable } from '../security-settings/settings-table.js';
import type { TightenableSetting } from '../security-settings/strictness.js';
import type { OperationOutput } from '../wickr/index.js';
import type { ActiveIncident } from './incident-records.js';
import { askedOf, type LockdownTarget, withoutSettings } from './lockdown-target.js';

/** Settings a pass left alone, and why. */
export interface SkippedSettings {
  readonly settings: readonly TightenableSetting[];
  readonly reason: string;
}

const retentionSettings = retentionSettingsOf(securityGroupSettingTable);

/** The retention-bound settings the target asks of any group. */
const retentionAsked = (target: LockdownTarget) => askedOf(target, retentionSettings);

/** Whether any active incident's playbook shortens message lifetimes: known before the groups are read. */
export const retentionMayMatter = (
  active: readonly Pick<ActiveIncident, 'severity'>[],
  playbooks: Readonly<Record<Severity, Playbook>>,
) => active.some((incident) => retentionSettings.some((name) => name in playbooks[incident.severity].tighten));

/** Whether GetDataRetentionBot's answer says the network keeps its messages. */
export const retentionActive = (bot: OperationOutput<'GetDataRetentionBot'>) =>
  bot.botExists === true && bot.isBotActive === true && bot.isDataRetentionServiceEnabled === true;

/** The target as the network's retention allows it, and what was left alone. */
export function gateOnRetention(
  target: LockdownTarget,
  active: boolean,
): { target: LockdownTarget; skipped?: SkippedSettings | undefined } {
  const asked = retentionAsked(target);
  if (active || asked.length === 0) return { target };
  return {
    target: withoutSettings(target, asked),
    skipped: {
      settings: asked,
      reason: 'data retention is not active on the network (GetDataRetentionBot): message lifetimes left as they are',
    },
  };
}
