/**
 * What a body on the HR queue may be, parsed at the edge: an HR fact, an Okta System Log event, a roster upload or
 * one of its chunks, the reconcile's own unmatched-employee check, or the nudge of a hold's decision. Anything else
 * is refused naming the field and the rule.
 */
import * as z from 'zod/mini';
import { HrFactEvent } from '../events/hr-events.js';
import { OktaSystemLogEvent } from '../events/okta-events.js';
import { RosterChunkMessage, RosterObjectCreated } from '../events/roster-events.js';
import { lazySchema } from '../lazy-schema.js';
import { jsonBody } from '../queue-batch.js';
import { fieldIssues, type SchemaIssue } from '../schema-issues.js';
import { HrMessageRejectedError } from './errors.js';

/** The follow-up the reconcile sends itself: is this employee, never onboarded, still unmatched? */
const UnmatchedCheck = lazySchema(() =>
  z.object({
    kind: z.literal('unmatched-check'),
    networkId: z.string().check(z.regex(/^[0-9]{8}$/)),
    employeeId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/)),
  }),
);

/** An operator decided a hold (the nudge from the bus): the decision itself is read from the table. */
const HoldDecisionNudge = lazySchema(() =>
  z.object({
    kind: z.literal('hold-decision'),
    holdId: z.string().check(z.regex(/^[a-z0-9-]{1,80}$/)),
  }),
);

/** One HR queue message, by kind; each kind's type is its schema's output. */
export type HrQueueMessage =
  | { readonly kind: 'fact'; readonly event: HrFactEvent }
  | { readonly kind: 'okta'; readonly event: OktaSystemLogEvent }
  | { readonly kind: 'roster-upload'; readonly event: RosterObjectCreated }
  | { readonly kind: 'roster-chunk'; readonly chunk: RosterChunkMessage }
  | z.output<typeof UnmatchedCheck>
  | z.output<typeof HoldDecisionNudge>;

const rejected = (issues: readonly { field: string; reason: string }[]) => new HrMessageRejectedError(issues);

function parsed<T>(
  result: { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } },
): T {
  if (!result.success) throw rejected(fieldIssues(result.error.issues));
  return result.data;
}

/** A body as an HR queue message; throws `HrMessageRejectedError` (permanent) naming each field and its rule. */
export function parseHrQueueMessage(body: string): HrQueueMessage {
  const json = jsonBody(body, (field, reason) => rejected([{ field, reason }]));
  const nudge = HoldDecisionNudge.safeParse(json);
  if (nudge.success) return nudge.data;
  const detailType = (json as { 'detail-type'?: unknown } | null)?.['detail-type'];
  if (detailType === 'SystemLog') return { kind: 'okta', event: parsed(OktaSystemLogEvent.safeParse(json)) };
  if (detailType === 'Object Created')
    return { kind: 'roster-upload', event: parsed(RosterObjectCreated.safeParse(json)) };
  const chunk = RosterChunkMessage.safeParse(json);
  if (chunk.success) return { kind: 'roster-chunk', chunk: chunk.data };
  const check = UnmatchedCheck.safeParse(json);
  if (check.success) return check.data;
  return { kind: 'fact', event: parsed(HrFactEvent.safeParse(json)) };
}
