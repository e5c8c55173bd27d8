import * as z from 'zod/mini';

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
    }),
    () => ({ minimumSeverity: 7 }),
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
