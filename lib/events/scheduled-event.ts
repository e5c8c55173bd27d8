/** The event EventBridge Scheduler / a schedule rule delivers: its `time` is the moment a rotation evaluates. */
import * as z from 'zod/mini';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export const ScheduledEvent = eventBridgeEnvelope('Scheduled Event', z.record(z.string(), z.unknown()));
export type ScheduledEvent = z.output<typeof ScheduledEvent>;
