/** What the rotation function accepts: a schedule's tick, or an operator's decision on a rotation hold. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { HoldDecisionEvent } from './hold-decision-event.js';
import { ScheduledEvent } from './scheduled-event.js';

export const RotationEvent = lazySchema(() => z.discriminatedUnion('detail-type', [ScheduledEvent, HoldDecisionEvent]));
export type RotationEvent = z.output<typeof RotationEvent>;
