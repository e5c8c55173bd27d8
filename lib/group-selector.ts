/** The group selector of incidents: shared by our own events and the sources the policy maps onto them. */
import * as z from 'zod/mini';
import { globWildcards, maxGlobWildcards } from './glob.js';
import { lazySchema } from './lazy-schema.js';

/** Which security groups an incident locks: by id or by name pattern (`*` matches any run). All when absent. */
export const GroupSelector = lazySchema(() =>
  z
    .object({
      ids: z.optional(
        z
          .array(
            z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 characters of letters, digits, . _ : -')),
          )
          .check(z.maxLength(500, 'must name at most 500 groups')),
      ),
      namePatterns: z.optional(
        z
          .array(
            z.string().check(
              z.minLength(1),
              z.maxLength(100),
              z.refine(
                (p) => globWildcards(p) <= maxGlobWildcards,
                `must hold at most ${maxGlobWildcards} wildcards (runs of * count once)`,
              ),
            ),
          )
          .check(z.maxLength(50)),
      ),
    })
    .check(z.refine((s) => s.ids !== undefined || s.namePatterns !== undefined, 'must give ids or namePatterns')),
);
export type GroupSelector = z.output<typeof GroupSelector>;
