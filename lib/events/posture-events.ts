/**
 * What the posture check accepts: the hourly schedule's tick, and an operator's accept from the operators' entry
 * point, whose `requestedBy` is the caller AWS authenticated.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';
import { ScheduledEvent } from './scheduled-event.js';

const networkId = () => z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'));

/** The detail of an operator's accept, as a caller sends it to the entry point (who asked is never in it). */
export const PostureAcceptDetail = lazySchema(() => z.strictObject({ networkId: networkId() }));

export const PostureEvent = lazySchema(() =>
  z.discriminatedUnion('detail-type', [
    ScheduledEvent,
    eventBridgeEnvelope(
      'Posture Accept Requested',
      z.object({ networkId: networkId(), requestedBy: z.string().check(z.minLength(1), z.maxLength(2048)) }),
    ),
  ]),
);
export type PostureEvent = z.output<typeof PostureEvent>;
