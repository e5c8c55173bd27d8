import * as z from 'zod/mini';

/** The `posture` section: what counts as drift in a network's posture. */
export const PostureSection = z.strictObject({
  /**
   * How much the counts of users and bots may grow over the baseline before it is drift (a burst of accounts is how a
   * takeover keeps its foothold); accepting the posture re-records the counts.
   */
  maxGrowthPercent: z._default(
    z.int('must be a whole number').check(z.gte(1, 'must be 1–1000'), z.lte(1000, 'must be 1–1000')),
    20,
  ),
});
export type PostureSection = z.output<typeof PostureSection>;
