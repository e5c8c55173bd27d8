/**
 * What the access review function receives: a schedule tick, an operator's request (`ops access-review`), its own
 * hand-over to a fresh invocation (only its role may put that source), and an operator's decision on a review hold.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';
import { HoldDecisionEvent } from './hold-decision-event.js';
import { ScheduledEvent } from './scheduled-event.js';

/** The review's own source on the project bus: its hand-overs (a bus policy lets only its role put it). */
export const reviewSource = 'wickr.autopilot.review';

const networkId = lazySchema(() => z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')));

/** `Wickr Access Review Requested`: run one now, for one network or every network of the policy. */
export const ReviewRequestEvent = lazySchema(() =>
  eventBridgeEnvelope(
    'Wickr Access Review Requested',
    z.object({
      kind: z.literal('access-review'),
      networkId: z.optional(networkId),
      requestedBy: z.optional(z.string().check(z.maxLength(256), z.regex(/^arn:[\w+=,.@:/-]+$/, 'must be an ARN'))),
    }),
  ),
);
export type ReviewRequestEvent = z.output<typeof ReviewRequestEvent>;

/** One run of one network, where it stands: the next page of ListUsers and the next part of the report. */
export const ReviewRun = lazySchema(() =>
  z.object({
    runId: z.string().check(z.regex(/^[0-9]{8}-[0-9]{8}t[0-9]{4}z(-[a-z0-9]{1,12})?$/, 'must be a review run id')),
    networkId,
    startedAt: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }),
    part: z.number().check(z.int(), z.gte(0), z.lte(10_000)),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(4096, 'must be at most 4096 characters'))),
  }),
);
export type ReviewRun = z.output<typeof ReviewRun>;

/** `Wickr Access Review Continued`: the review hands a run over before its invocation's deadline. */
export const ReviewContinuedEvent = lazySchema(() => eventBridgeEnvelope('Wickr Access Review Continued', ReviewRun));

/** Everything the access review function receives. */
export const ReviewEvent = lazySchema(() =>
  z.discriminatedUnion('detail-type', [ScheduledEvent, ReviewRequestEvent, ReviewContinuedEvent, HoldDecisionEvent]),
);
export type ReviewEvent = z.output<typeof ReviewEvent>;
