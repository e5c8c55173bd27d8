import * as z from 'zod/mini';
import { employmentTypes } from './vocabulary.js';

/** One Okta group's meaning: the department its members are in (the HR group template applies as to our events). */
const OktaGroup = z.strictObject({
  department: z.string().check(z.minLength(1), z.maxLength(64)),
  team: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  employmentType: z._default(z.enum(employmentTypes, `must be one of ${employmentTypes.join(', ')}`), 'EMPLOYEE'),
});

/** The `sources` section: how facts from the customer's own systems map onto this project's subjects. */
export const SourcesSection = z.strictObject({
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
});
export type SourcesSection = z.output<typeof SourcesSection>;
export type OktaSection = NonNullable<SourcesSection['okta']>;
