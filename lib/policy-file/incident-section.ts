import * as z from 'zod/mini';
import { flatTighten, retentionSettingsOf, securityGroupSettingTable } from '../security-settings/settings-table.js';
import {
  compareStrictness,
  type SettingValue,
  type TightenableSetting,
  tightenableSettings,
} from '../security-settings/strictness.js';
import { maxNonSsoSessionMinutes } from '../wickr/request-schemas.js';
import { tightenSettingsSchema } from '../wickr/settings-schemas.js';
import { type Severity, severities } from './vocabulary.js';

export { type Severity, severities } from './vocabulary.js';

/** Incident fields a consent popup template may name as `{{field}}`. */
export const popupPlaceholders = ['incidentId', 'severity', 'title', 'declaredAt'] as const;

const template = (max: number) =>
  z.string().check(
    z.refine(
      (text) =>
        [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].every((m) =>
          (popupPlaceholders as readonly string[]).includes(m[1] ?? ''),
        ),
      `may use only the placeholders ${popupPlaceholders.map((p) => `{{${p}}}`).join(', ')}`,
    ),
    z.refine(
      (text) => text.replace(/\{\{\s*\w+\s*\}\}/g, '').length <= max,
      `must leave room within ${max} characters`,
    ),
  );

const retentionSettings = retentionSettingsOf(securityGroupSettingTable);

const PlaybookFields = z.strictObject({
  /** The non-SSO session limit to enforce; groups already stricter are left alone. */
  maxNonSsoSessionMinutes: maxNonSsoSessionMinutes.check(
    z.refine((v) => v !== 0, 'must set a limit (60–525600): 0 means no limit, which no lockdown may ask for'),
  ),
  /** Other settings to tighten; each only where the group is looser. */
  tighten: z._default(tightenSettingsSchema(securityGroupSettingTable, ['maxNonSsoSessionMinutes']), () => ({})),
  /** The login consent popup shown network-wide while the incident is active. */
  consentPopup: z.strictObject({
    header: template(100),
    content: template(5000),
    closeButtonLabel: z._default(z.string().check(z.maxLength(20, 'must be at most 20 characters')), 'Acknowledge'),
  }),
  /**
   * Shortening message lifetimes (`maxTtl`, `maxBor`) destroys evidence: a playbook may ask for it only when it says
   * so here, and a reconcile then applies it only where the network's data retention bot is active.
   */
  requireDataRetention: z._default(z.boolean('must be true or false'), false),
  /**
   * `block-all`: block every guest seen on the network in the last 90 days for the incident's life, and unblock
   * exactly those after it. Off (`leave`) by default: most teams switch `enableGuestFederation` off instead.
   */
  guests: z._default(z.enum(['leave', 'block-all'], 'must be leave or block-all'), 'leave'),
});

const Playbook = PlaybookFields.check(
  z.superRefine((playbook, ctx) => {
    if (playbook.requireDataRetention) return;
    for (const name of retentionSettings.filter((n) => n in playbook.tighten)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tighten', name],
        message:
          'shortens message lifetimes, which destroys evidence: the playbook must also say requireDataRetention: true (it then applies only where data retention is active)',
        input: (playbook.tighten as Record<string, unknown>)[name],
      });
    }
  }),
);

type PlaybookShape = z.output<typeof Playbook>;
const playbookValue = (p: PlaybookShape, field: TightenableSetting): SettingValue | undefined =>
  field === 'maxNonSsoSessionMinutes' ? p.maxNonSsoSessionMinutes : flatTighten(p.tighten)[field];

/**
 * A response never weakens as severity rises: each playbook is at least as strict as the next lower one, field by
 * field (a field the lower one tightens and the higher one leaves alone counts as looser).
 */
const noWeakerResponse = z.superRefine((section: { playbooks: Record<Severity, PlaybookShape> }, ctx) => {
  for (let i = 0; i + 1 < severities.length; i++) {
    const higher = severities[i] as Severity;
    const lower = severities[i + 1] as Severity;
    // A playbook missing or malformed is reported on its own.
    if (!section.playbooks?.[higher]?.tighten || !section.playbooks?.[lower]?.tighten) continue;
    if (section.playbooks[lower].guests === 'block-all' && section.playbooks[higher].guests !== 'block-all') {
      ctx.addIssue({
        code: 'custom',
        path: ['playbooks', higher, 'guests'],
        message: `must be block-all, as ${lower}'s is: a higher severity never weakens the response`,
        input: section.playbooks[higher].guests,
      });
    }
    for (const field of Object.keys(tightenableSettings) as TightenableSetting[]) {
      const strict = playbookValue(section.playbooks[higher], field);
      const loose = playbookValue(section.playbooks[lower], field);
      if (loose === undefined) continue;
      const where = field === 'maxNonSsoSessionMinutes' ? [field] : ['tighten', ...field.split('.')];
      if (strict === undefined || compareStrictness(field, strict, loose) > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['playbooks', higher, ...where],
          message: `must be at least as strict as ${lower}'s ${JSON.stringify(loose)}${strict === undefined ? ' (it is missing)' : ''}: a higher severity never weakens the response`,
          input: strict,
        });
      }
    }
  }
});

/** The `incident` section: one playbook per severity. */
export const IncidentSection = z
  .strictObject({
    playbooks: z.strictObject({ SEV1: Playbook, SEV2: Playbook, SEV3: Playbook, SEV4: Playbook }),
    /** Security Hub findings that declare incidents: severity label → our severity (CRITICAL → SEV1 by default). */
    securityHub: z._default(
      z
        .strictObject({
          severityMapping: z.partialRecord(
            z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'], 'must be a Security Hub severity label'),
            z.enum(severities, `must be one of ${severities.join(', ')}`),
          ),
          /**
           * What resolves a finding's incident: workflow statuses (`RESOLVED`, `SUPPRESSED`, `NOTIFIED`) and the record
           * state `ARCHIVED`. Anyone allowed `securityhub:BatchUpdateFindings` can set a status: choose only what
           * your IAM reserves to the responders. A finding NEW again later declares again.
           */
          resolveOn: z._default(
            z
              .array(
                z.enum(
                  ['RESOLVED', 'SUPPRESSED', 'NOTIFIED', 'ARCHIVED'],
                  'must be RESOLVED, SUPPRESSED, NOTIFIED or ARCHIVED',
                ),
              )
              .check(z.maxLength(4)),
            () => ['RESOLVED' as const, 'SUPPRESSED' as const, 'ARCHIVED' as const],
          ),
          /**
           * Tell Security Hub what was done: once a finding's lockdown is applied, a note on the finding (severity,
           * groups, networks, the outcome's event id) and its workflow status set to NOTIFIED. Off by default.
           */
          writeBack: z._default(z.boolean('must be true or false'), false),
        })
        .check(
          z.superRefine((section, ctx) => {
            if (section.writeBack && section.resolveOn.includes('NOTIFIED')) {
              ctx.addIssue({
                code: 'custom',
                path: ['resolveOn'],
                message:
                  'must not include NOTIFIED while writeBack is on: the write-back sets NOTIFIED, which would resolve the incident it reports',
                input: section.resolveOn,
              });
            }
          }),
        ),
      () => ({
        severityMapping: { CRITICAL: 'SEV1' as const },
        resolveOn: ['RESOLVED' as const, 'SUPPRESSED' as const, 'ARCHIVED' as const],
        writeBack: false,
      }),
    ),
    /** How long a resolution is remembered, so a late declaration of it does nothing. */
    tombstoneDays: z._default(z.int().check(z.gte(1), z.lte(365)), 30),
  })
  .check(noWeakerResponse);
export type IncidentSection = z.output<typeof IncidentSection>;
export type Playbook = z.output<typeof Playbook>;
