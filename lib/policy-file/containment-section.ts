import * as z from 'zod/mini';
import { CreateSecurityGroupSettingsInput } from '../wickr/request-schemas.js';

/** Where a containment's facts come from (lib/containment/account-case.ts names them the same). */
export const containmentSources = ['on-call', 'incidents', 'guardduty', 'okta'] as const;

/** Okta's per-user account-compromise signals containment may act on (the Okta containment rule matches these). */
export const oktaCompromiseTypes = [
  'user.account.report_suspicious_activity_by_enduser',
  'user.session.impersonation.grant',
] as const;

/** The `containment` section: compromised accounts, contained one by one (suspended, every device signed out). */
export const ContainmentSection = z.strictObject({
  /** Contain users this deployment did not provision too (found by username); off: only HR's users. */
  anyUser: z._default(z.boolean('must be true or false'), false),
  /**
   * Accounts newly contained per hour beyond which the rest are refused and reported: a burst of findings is more
   * likely a misfire than that many compromised people.
   */
  maxPerHour: z._default(z.number().check(z.int('must be an integer'), z.gte(1), z.lte(1000)), 5),
  guardDuty: z._default(
    z.strictObject({
      /** IAM findings at or above this severity contain their principal (High is 7.0–8.9, Critical 9–10). */
      minimumSeverity: z._default(z.number().check(z.gte(1), z.lte(10)), 7),
      /**
       * Appended (as `@domain`) to a principal name without one: the `AssumedRole` session name or the IAM user
       * name becomes the Wickr username.
       */
      usernameDomain: z.optional(z.string().check(z.regex(/^[a-z0-9.-]{1,200}\.[a-z]{2,}$/, 'must be a domain name'))),
      /**
       * Accounts whose findings may contain (12 digits each); empty: the account whose default bus the finding
       * reached (the envelope's `account`, set by AWS) — this deployment's own.
       */
      accounts: z._default(
        z
          .array(z.string().check(z.regex(/^[0-9]{12}$/, 'must be a 12-digit account id')))
          .check(z.maxLength(100, 'must list at most 100 accounts')),
        () => [],
      ),
      /**
       * Role names whose session names a trusted broker sets (not the caller): their sessions name a person. Identity
       * Center's `AWSReservedSSO_*` roles are trusted without being listed; any other role's session name is chosen
       * by whoever assumed it and contains no one.
       */
      trustedRoles: z._default(
        z
          .array(z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')))
          .check(z.maxLength(100, 'must list at most 100 roles')),
        () => [],
      ),
    }),
    () => ({ minimumSeverity: 7, accounts: [], trustedRoles: [] }),
  ),
  /**
   * A quarantine security group the contained user is moved to (made once, from these create-time settings), for
   * containments from these sources; absent: no quarantine. Release puts the user in the group HR says then.
   */
  quarantine: z.optional(
    z.strictObject({
      groupName: z._default(
        z
          .string()
          .check(z.regex(/^[a-z0-9][a-z0-9 ._-]{0,63}$/, 'must be 1–64 lower-case letters, digits, space . _ -')),
        'quarantine',
      ),
      settings: z._default(CreateSecurityGroupSettingsInput, () => ({})),
      sources: z._default(
        z.array(z.enum(containmentSources, `must be one of ${containmentSources.join(', ')}`)),
        () => [...containmentSources],
      ),
    }),
  ),
  /** Okta's signals that contain their user (the Okta partner source, `oktaEventSource`); none until chosen. */
  okta: z._default(
    z.strictObject({
      eventTypes: z._default(
        z.array(z.enum(oktaCompromiseTypes, `must be one of ${oktaCompromiseTypes.join(', ')}`)),
        () => [],
      ),
    }),
    () => ({ eventTypes: [] }),
  ),
});
export type ContainmentSection = z.output<typeof ContainmentSection>;
