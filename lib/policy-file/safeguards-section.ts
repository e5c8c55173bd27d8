import * as z from 'zod/mini';

/** The `safeguards` section: when a burst of destructive changes waits for a person, and for how long. */
export const SafeguardsSection = z.strictObject({
  /** An undecided hold expires, as rejected, after this long. */
  holdHours: z._default(z.number().check(z.int(), z.gte(1), z.lte(168)), 24),
  hr: z._default(
    z.strictObject({
      /**
       * Deprovisions (suspensions or deletions) per network and hour beyond which every further one that hour is
       * held — when they are also more than `maxDeprovisionPercent` of the users this deployment provisioned there.
       */
      maxDeprovisionsPerHour: z._default(z.number().check(z.int(), z.gte(0), z.lte(100_000)), 20),
      maxDeprovisionPercent: z._default(z.number().check(z.gte(0), z.lte(100)), 5),
    }),
    () => ({ maxDeprovisionsPerHour: 20, maxDeprovisionPercent: 5 }),
  ),
});
export type SafeguardsSection = z.output<typeof SafeguardsSection>;
