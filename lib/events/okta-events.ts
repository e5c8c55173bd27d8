/**
 * Okta's System Log through its EventBridge partner source (`detail-type: SystemLog`): one Okta LogEvent per event,
 * streamed at least once, unordered and repeated. Only what the HR capability reads is typed, every string and
 * list bounded; the rest of Okta's fields pass unread.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

/** The lifecycle and membership event types the HR capability acts on (the partner rule matches only these). */
export const oktaLifecycleTypes = [
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.unsuspend',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.delete.initiated',
  'user.lifecycle.delete',
  'group.user_membership.add',
  'group.user_membership.remove',
] as const;

const bounded = (max: number) =>
  z
    .string()
    .check(
      z.maxLength(max, `must be at most ${max} characters`),
      z.regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    );

const OktaTarget = lazySchema(() =>
  z.object({
    id: z
      .string('is required')
      .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an Okta id (1–64 letters, digits, _ -)')),
    type: bounded(64),
    alternateId: z.optional(z.nullable(bounded(254))),
    displayName: z.optional(z.nullable(bounded(200))),
  }),
);

export const OktaLogEvent = lazySchema(() =>
  z.object({
    uuid: z.string('is required').check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be 1–64 letters, digits or -')),
    published: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }),
    eventType: bounded(128),
    outcome: z.object({ result: bounded(32), reason: z.optional(z.nullable(bounded(500))) }),
    target: z._default(z.array(OktaTarget).check(z.maxLength(20, 'must have at most 20 entries')), () => []),
  }),
);
export type OktaLogEvent = z.output<typeof OktaLogEvent>;

export const OktaSystemLogEvent = lazySchema(() => eventBridgeEnvelope('SystemLog', OktaLogEvent));
export type OktaSystemLogEvent = z.output<typeof OktaSystemLogEvent>;
