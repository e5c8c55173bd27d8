import * as z from 'zod/mini';
import { globWildcards, maxGlobWildcards } from '../glob.js';
import { timeZone } from './rotation-section.js';

/** The classes an access review may propose an action for (always through a hold, never applied by the review). */
export const reviewActionClasses = ['leaver-active', 'orphan', 'inactive', 'bot-inactive'] as const;
export type ReviewActionClass = (typeof reviewActionClasses)[number];

// Scheduler's cron: minutes hours day-of-month month day-of-week year, each from its documented characters.
const cronField = /^[0-9A-Z*?,/#LW-]{1,40}$/;

/** The `accessReview` section: who is in Wickr, who should be, and who has not signed in — on a schedule. */
export const AccessReviewSection = z.strictObject({
  /**
   * When the review runs, as EventBridge Scheduler's six-field cron (`0 6 ? * MON *`), in `timeZone`; absent: on
   * demand only (`ops access-review`).
   */
  schedule: z.optional(
    z.string().check(
      z.refine((s) => {
        const fields = s.trim().split(/\s+/);
        return fields.length === 6 && fields.every((f) => cronField.test(f));
      }, 'must be a six-field cron expression (minutes hours day-of-month month day-of-week year), e.g. 0 6 ? * MON *'),
    ),
  ),
  timeZone: z._default(timeZone, 'UTC'),
  /** A user with no sign-in (GetUser's `lastLogin`, else `lastActivity`) for this many days is `inactive`. */
  inactiveDays: z.optional(z.number().check(z.int('must be an integer'), z.gte(1), z.lte(3650))),
  /** Usernames (`*` patterns) not provisioned here on purpose — service accounts, bots, break-glass admins. */
  exempt: z._default(
    z
      .array(
        z.string().check(
          z.minLength(1),
          z.maxLength(200, 'must be at most 200 characters'),
          z.refine((p) => globWildcards(p) <= maxGlobWildcards, `may hold at most ${maxGlobWildcards} wildcards`),
        ),
      )
      .check(z.maxLength(100, 'must list at most 100 patterns')),
    () => [],
  ),
  /** Classes whose accounts the review proposes to suspend, in a hold an operator decides; none: report only. */
  actions: z._default(
    z.array(z.enum(reviewActionClasses, `must be one of ${reviewActionClasses.join(', ')}`)),
    () => [],
  ),
});
export type AccessReviewSection = z.output<typeof AccessReviewSection>;
