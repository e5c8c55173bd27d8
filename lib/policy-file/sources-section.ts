import * as z from 'zod/mini';
import { GroupSelector } from '../group-selector.js';
import { employmentTypes, severities } from './vocabulary.js';

/** One Okta group's meaning: the department its members are in (the HR group template applies as to our events). */
const OktaGroup = z.strictObject({
  /**
   * The group's Okta id (`00g…`): matched by it alone, whatever its display name becomes. Without one, the name must
   * be exactly the group's `displayName`, and a name seen on two group ids maps nothing (reported as ambiguous).
   */
  id: z.optional(z.string().check(z.regex(/^00g[A-Za-z0-9]{1,30}$/, 'must be an Okta group id (00g…)'))),
  department: z.string().check(z.minLength(1), z.maxLength(64)),
  team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  employmentType: z._default(z.enum(employmentTypes, `must be one of ${employmentTypes.join(', ')}`), 'EMPLOYEE'),
});

const severity = z.enum(severities, `must be one of ${severities.join(', ')}`);

/** The `sources` section: how facts from the customer's own systems map onto this project's subjects. */
export const SourcesSection = z.strictObject({
  pagerduty: z.optional(
    z.strictObject({
      /** The services whose incidents act; required — an empty list acts on nothing. */
      services: z
        .array(z.string().check(z.regex(/^[A-Za-z0-9]{1,32}$/, 'must be a PagerDuty service id')))
        .check(z.maxLength(200, 'must list at most 200 services')),
      /** Priority (its summary, e.g. `P1`) → severity. A priority not listed acts on nothing. */
      priorities: z._default(z.record(z.string().check(z.minLength(1), z.maxLength(32)), severity), () => ({})),
      /** The severity when an incident has no priority, by urgency; default none (no action). */
      urgency: z._default(z.partialRecord(z.enum(['high', 'low']), severity), () => ({})),
      /** Where its incidents act, as our own events may name: networks (default all) and groups. */
      networks: z.optional(
        z.array(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))).check(z.minLength(1)),
      ),
      /** The groups its incidents lock, as our own events' `groups` selector (glob name patterns or ids). */
      groups: z.optional(GroupSelector),
      /**
       * A delivery whose `occurred_at` is older than this (or more than 5 minutes ahead) is acknowledged and does
       * nothing: PagerDuty's signature covers the body, not when it was sent, so only its age limits a replay.
       */
      maxAgeMinutes: z._default(
        z
          .number()
          .check(z.int('must be an integer'), z.gte(1, 'must be at least 1'), z.lte(1440, 'must be at most 1440')),
        60,
      ),
    }),
  ),
  okta: z.optional(
    z.strictObject({
      /**
       * Okta groups (their `displayName`) whose members are employees, each with its department. A person's department
       * is the latest membership fact among these groups; people in none of them are not provisioned.
       */
      groups: z
        .record(z.string().check(z.minLength(1), z.maxLength(200)), OktaGroup)
        .check(z.refine((g) => Object.keys(g).length <= 500, 'must map at most 500 groups')),
      /** The network its people are provisioned on; `hr.defaultNetworkId` (or the first network) when absent. */
      networkId: z.optional(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))),
    }),
  ),
  /** Roster snapshots (files in the stack's roster bucket): one network's whole workforce. */
  roster: z.optional(
    z.strictObject({
      /** The network a roster lists; `hr.defaultNetworkId` (or the first network) when absent. */
      networkId: z.optional(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))),
    }),
  ),
});
export type SourcesSection = z.output<typeof SourcesSection>;
export type PagerDutySection = NonNullable<SourcesSection['pagerduty']>;
export type OktaSection = NonNullable<SourcesSection['okta']>;
