/** The message that hands a network's reconcile to a fresh invocation, through the reconcile function's queue. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';

const ReconcileUnitMessage = lazySchema(() =>
  z.strictObject({
    networkId: z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')),
    incidentId: z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an incident id')),
    trigger: z.string().check(z.maxLength(64), z.regex(/^[A-Za-z ]+$/, 'must be words')),
    factTime: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }),
    // Only the two fields the outcome event carries: no message can grow an outcome or a log line.
    extra: z.optional(
      z.strictObject({
        severity: z.optional(z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'], 'must be a severity')),
        override: z.optional(z.boolean()),
        reason: z.optional(z.string().check(z.maxLength(500))),
        requestedBy: z.optional(z.string().check(z.maxLength(256))),
      }),
    ),
    eventId: z.optional(z.string().check(z.maxLength(128))),
    handovers: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10_000))),
    groupsChangedBefore: z.optional(z.number().check(z.int(), z.gte(0), z.lte(10_000_000))),
    watch: z.optional(z.boolean()),
    sweep: z.optional(z.boolean()),
    ends: z.optional(z.boolean()),
  }),
);
export type ReconcileUnitMessage = z.output<typeof ReconcileUnitMessage>;

/**
 * What the rule on `Wickr Security Group Provisioned` (action `created`) puts on the reconcile queue: the event's
 * detail. A group made while its network is locked is brought under the lockdown at once.
 */
const GroupCreatedMessage = lazySchema(() =>
  z.object({
    networkId: z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')),
    groupId: z.string().check(z.maxLength(128)),
    action: z.literal('created'),
  }),
);

/** One body, parsed: the unit (a group's creation becomes a sweep of its network), or why it is not one. */
export function parseReconcileUnit(body: string): ReconcileUnitMessage | { readonly problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'body: is not JSON' };
  }
  const created = GroupCreatedMessage.safeParse(json);
  if (created.success) {
    const { networkId } = created.data;
    return {
      networkId,
      incidentId: 'sweep',
      trigger: 'Group Created',
      factTime: new Date().toISOString(),
      sweep: true,
    };
  }
  const parsed = ReconcileUnitMessage.safeParse(json);
  if (parsed.success) return parsed.data;
  return { problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}
