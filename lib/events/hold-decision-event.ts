/** An operator's decision nudge (`ops holds approve|reject`), as a function target receives it from its rule. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export const HoldDecisionEvent = lazySchema(() =>
  eventBridgeEnvelope(
    'Wickr Hold Decision',
    z.object({
      kind: z.literal('hold-decision'),
      holdId: z.string().check(z.regex(/^[a-z0-9-]{1,80}$/, 'must be a hold id')),
      capability: z.enum(['hr', 'rotation', 'containment', 'review'], 'must be hr, rotation, containment or review'),
    }),
  ),
);
export type HoldDecisionEvent = z.output<typeof HoldDecisionEvent>;
