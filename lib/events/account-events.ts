/**
 * The facts that contain or release one account: our own `Account Compromised` / `Account Cleared` (from the
 * incident publishers, or the on-call's cockpit) and GuardDuty's findings (`aws.guardduty`, on the default bus).
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';
import { HoldDecisionEvent } from './hold-decision-event.js';
import { OktaSystemLogEvent } from './okta-events.js';
import { ScheduledEvent } from './scheduled-event.js';

const caseId = lazySchema(() =>
  z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1–128 characters of letters, digits, . _ : -')),
);
// A username (an e-mail address), an employee id, or a guest by its username hash: the only ways a fact may name a
// person.
const subject = lazySchema(() =>
  z.string().check(
    z.maxLength(262, 'must be at most 262 characters'),
    z.refine((v) => v.startsWith('guest:') || v.length <= 254, 'must be at most 254 characters'),
    z.regex(
      /^([^\s@]+@[^\s@]+\.[^\s@]+|[A-Za-z0-9._:-]{1,64}|guest:[A-Za-z0-9+/=_-]{1,256})$/,
      'must be a username (e-mail), an employee id or guest:<username hash>',
    ),
    z.refine(
      (v) => !/^(bot|guest):$/.test(v),
      'must name the bot or guest after its prefix (bot:<username>, guest:<hash>)',
    ),
  ),
);
const reason = lazySchema(() =>
  z
    .string()
    .check(
      z.maxLength(500, 'must be at most 500 characters'),
      z.regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or invisible characters'),
    ),
);

export const AccountCaseDetail = lazySchema(() =>
  z.object({
    caseId,
    subject,
    reason: z.optional(reason),
    networkId: z.optional(z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits'))),
    requestedBy: z.optional(z.string().check(z.maxLength(256), z.regex(/^arn:[\w+=,.@:/-]+$/, 'must be an ARN'))),
  }),
);

/** `Account Compromised` / `Account Cleared`: one case of one account opened or closed. */
export const AccountCaseEvent = lazySchema(() =>
  eventBridgeEnvelope(['Account Compromised', 'Account Cleared'], AccountCaseDetail),
);
export type AccountCaseEvent = z.output<typeof AccountCaseEvent>;

const text = (max: number) => z.string().check(z.maxLength(max, `must be at most ${max} characters`));

/** GuardDuty's finding, the fields containment reads (bounded; the rest passes). */
export const GuardDutyFindingEvent = lazySchema(() =>
  eventBridgeEnvelope(
    'GuardDuty Finding',
    z.looseObject({
      id: text(128),
      accountId: z.optional(text(12)),
      type: text(256),
      severity: z.number().check(z.gte(0), z.lte(10)),
      updatedAt: z.optional(text(40)),
      resource: z.looseObject({
        resourceType: text(64),
        accessKeyDetails: z.optional(
          z.looseObject({
            principalId: z.optional(text(256)),
            userName: z.optional(text(256)),
            userType: z.optional(text(64)),
            sourceIdentity: z.optional(text(64)),
          }),
        ),
      }),
      service: z.optional(z.looseObject({ archived: z.optional(z.boolean()) })),
    }),
  ),
);
export type GuardDutyFindingEvent = z.output<typeof GuardDutyFindingEvent>;

/** What the containment function receives. */
export const AccountEvent = lazySchema(() =>
  z.discriminatedUnion('detail-type', [
    AccountCaseEvent,
    GuardDutyFindingEvent,
    OktaSystemLogEvent,
    HoldDecisionEvent,
    ScheduledEvent,
  ]),
);
export type AccountEvent = z.output<typeof AccountEvent>;

/** Where containment facts come from. */
export type CaseSource = 'on-call' | 'incidents' | 'guardduty' | 'okta';

/** One fact about one case of one account. */
export interface CaseFact {
  readonly caseId: string;
  readonly compromised: boolean;
  /** When it was stated (the event's time): orders the case's facts. */
  readonly time: string;
  readonly source: CaseSource;
  readonly reason?: string | undefined;
  readonly eventId: string;
}

/** The canonical account fact every source is mapped onto: the subject is a username or an employee id. */
export interface AccountFact extends CaseFact {
  readonly subject: string;
  readonly networkId?: string | undefined;
}
