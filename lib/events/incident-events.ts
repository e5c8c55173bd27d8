/** The incident contract, version 1: what `Incident Declared` and `Incident Resolved` carry in `detail`. */
import * as z from 'zod/mini';
import { GroupSelector } from '../group-selector.js';
import { lazySchema } from '../lazy-schema.js';
import { severities } from '../policy-file/vocabulary.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export { GroupSelector } from '../group-selector.js';

const incidentId = lazySchema(() =>
  z
    .string('is required')
    .check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of letters, digits, . _ : -')),
);
const networkIds = lazySchema(() =>
  z
    .array(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')))
    .check(z.minLength(1, 'must name at least one network'), z.maxLength(50, 'must name at most 50 networks')),
);
// Text that may reach the consent popup: no control characters, bounded.
const displayText = lazySchema(() =>
  z
    .string()
    .check(
      z.maxLength(200, 'must be at most 200 characters'),
      z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    ),
);

// Who asked, as the operator's cockpit names them (the caller identity it signed with), for the audit trail.
const requestedBy = lazySchema(() =>
  z
    .string()
    .check(z.maxLength(256, 'must be at most 256 characters'), z.regex(/^arn:[\w+=,.@:/-]+$/, 'must be an ARN')),
);
// Why a person broke glass: free text for the audit trail only (never the popup), bounded.
const reason = lazySchema(() =>
  z
    .string()
    .check(
      z.minLength(3, 'must say why (at least 3 characters)'),
      z.maxLength(500, 'must be at most 500 characters'),
      z.regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or invisible characters'),
    ),
);

export const IncidentDeclaredDetail = lazySchema(() =>
  z.object({
    schemaVersion: z._default(z.literal('1', 'must be "1"'), '1'),
    incidentId,
    severity: z.enum(severities, `must be one of ${severities.join(', ')}`),
    title: z.optional(displayText),
    networkIds: z.optional(networkIds),
    groups: z.optional(GroupSelector),
    requestedBy: z.optional(requestedBy),
    /** Plan only (the smoke test): answered with `Wickr Lockdown Planned`; nothing is recorded or changed. */
    dryRun: z.optional(z.literal(true, 'must be true when given')),
  }),
);
export type IncidentDeclaredDetail = z.output<typeof IncidentDeclaredDetail>;

export const IncidentResolvedDetail = lazySchema(() =>
  z
    .object({
      schemaVersion: z._default(z.literal('1', 'must be "1"'), '1'),
      incidentId,
      networkIds: z.optional(networkIds),
      /**
       * Resolves an incident another channel declared (a Security Hub incident, say): the incident publishers'
       * break-glass, logged and published as such.
       */
      override: z.optional(z.boolean('must be true or false')),
      /** Why (required with `override`): kept in the outcome event and the audit trail. */
      reason: z.optional(reason),
      requestedBy: z.optional(requestedBy),
    })
    .check(
      z.refine((d) => !d.override || d.reason !== undefined, {
        message: 'must say why the override is needed (reason)',
        path: ['reason'],
      }),
    ),
);
export type IncidentResolvedDetail = z.output<typeof IncidentResolvedDetail>;

/** The EventBridge event that declares an incident, or updates it (`Incident Updated`, the same detail). */
export const IncidentDeclaredEvent = lazySchema(() =>
  eventBridgeEnvelope(['Incident Declared', 'Incident Updated'], IncidentDeclaredDetail),
);
export type IncidentDeclaredEvent = z.output<typeof IncidentDeclaredEvent>;
/** The EventBridge event that resolves an incident. */
export const IncidentResolvedEvent = lazySchema(() => eventBridgeEnvelope('Incident Resolved', IncidentResolvedDetail));
export type IncidentResolvedEvent = z.output<typeof IncidentResolvedEvent>;
