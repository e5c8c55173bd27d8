/** The event EventBridge Scheduler / a schedule rule delivers: its `time` is the moment a rotation evaluates. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export const ScheduledEvent = lazySchema(() =>
  eventBridgeEnvelope('Scheduled Event', z.record(z.string(), z.unknown())),
);
export type ScheduledEvent = z.output<typeof ScheduledEvent>;
