import type { EmploymentType, HrSection } from '../policy-file/hr-section.js';
import { normalizeText } from '../safe-text.js';
import { createSecurityGroupSettingNames, type SecurityGroupSettingsUpdate } from '../wickr/index.js';

/**
 * Case, spacing and compatibility forms do not make a different group: `Finance`, ` finance `, `FINANCE` and a
 * fullwidth `ｆｉｎａｎｃｅ` are one (NFKC, invisible characters dropped).
 */
export function normalizeName(text: string): string {
  return normalizeText(text).trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Who a group is for. */
export interface GroupAudience {
  readonly department: string;
  readonly team?: string | undefined;
  readonly employmentType: EmploymentType;
}

/** The security group name for an audience under the naming rule, normalized. */
export function groupNameFor(naming: HrSection['naming'], audience: GroupAudience): string {
  const unit =
    naming === 'department-team' && audience.team
      ? `${normalizeName(audience.department)} / ${normalizeName(audience.team)}`
      : normalizeName(audience.department);
  return audience.employmentType === 'EMPLOYEE' ? unit : `${unit} (${audience.employmentType.toLowerCase()})`;
}

/** The template's settings for an audience: defaults, then the department's, then the employment type's. */
export function templateFor(template: HrSection['template'], audience: GroupAudience): SecurityGroupSettingsUpdate {
  const department = Object.entries(template.byDepartment).find(
    ([name]) => normalizeName(name) === normalizeName(audience.department),
  )?.[1];
  return {
    ...template.defaults,
    ...department,
    ...template.byEmploymentType[audience.employmentType],
  } as SecurityGroupSettingsUpdate;
}

/** CreateSecurityGroup accepts 8 settings; the rest can only be set by UpdateSecurityGroup afterwards. */
export function splitTemplate(settings: SecurityGroupSettingsUpdate): {
  readonly create: SecurityGroupSettingsUpdate;
  readonly update: SecurityGroupSettingsUpdate;
} {
  const entries = Object.entries(settings);
  return {
    create: Object.fromEntries(entries.filter(([k]) => createSecurityGroupSettingNames.includes(k))),
    update: Object.fromEntries(entries.filter(([k]) => !createSecurityGroupSettingNames.includes(k))),
  };
}
