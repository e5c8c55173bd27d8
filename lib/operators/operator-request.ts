/**
 * What a caller may ask the operators' entry point, parsed at the edge: a hold decision, or a fact the entry point
 * puts on the bus for them (checked with the consuming function's own schema). Who asks is never in the body.
 */
import * as z from 'zod/mini';
import { AccountCaseDetail } from '../events/account-events.js';
import { IncidentDeclaredDetail, IncidentResolvedDetail } from '../events/incident-events.js';
import { type OperatorFactType, operatorFactTypes } from '../events/operator-actions.js';
import { PostureAcceptDetail } from '../events/posture-events.js';
import { lazySchema } from '../lazy-schema.js';
import { fieldIssues } from '../schema-issues.js';
import { OperatorRefusedError } from './errors.js';

const DecideHold = lazySchema(() =>
  z.strictObject({
    action: z.literal('decide-hold'),
    holdId: z.string().check(z.regex(/^[a-z0-9-]{1,80}$/, 'must be a hold id')),
    decision: z.enum(['approve', 'reject'], 'must be approve or reject'),
    revision: z.optional(z.string().check(z.regex(/^[0-9a-f]{12}$/, 'must be the 12 hex digits holds show prints'))),
    count: z.optional(z.number().check(z.int('must be an integer'), z.gte(0), z.lte(100_000))),
    reason: z.optional(
      z
        .string()
        .check(
          z.maxLength(300, 'must be at most 300 characters'),
          z.regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control or invisible characters'),
        ),
    ),
  }),
);

const PutFact = lazySchema(() =>
  z.strictObject({
    action: z.literal('put-fact'),
    detailType: z.enum(operatorFactTypes, `must be one of ${operatorFactTypes.join(', ')}`),
    detail: z.record(z.string().check(z.maxLength(64)), z.unknown()),
  }),
);

const OperatorRequestSchema = lazySchema(() => z.discriminatedUnion('action', [DecideHold, PutFact]));

/** A request as parsed: a decision, or a fact whose detail passed its function's schema. */
export type OperatorRequest =
  | z.output<typeof DecideHold>
  | { readonly action: 'put-fact'; readonly detailType: OperatorFactType; readonly detail: Record<string, unknown> };

const detailSchemas = {
  'Incident Declared': IncidentDeclaredDetail,
  'Incident Resolved': IncidentResolvedDetail,
  'Account Compromised': AccountCaseDetail,
  'Account Cleared': AccountCaseDetail,
  'Posture Accept Requested': PostureAcceptDetail,
} as const;

const refuse = (issues: readonly { field: string; reason: string }[]): never => {
  const first = issues[0];
  throw new OperatorRefusedError(first ? `${first.field}: ${first.reason}` : 'the request is not valid', 400);
};

/** Parses a request body (JSON text); refused naming the field and the rule. */
export function operatorRequestOf(body: string | undefined): OperatorRequest {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return refuse([{ field: 'body', reason: 'must be a JSON object' }]);
  }
  const parsed = OperatorRequestSchema.safeParse(json);
  if (!parsed.success) return refuse(fieldIssues(parsed.error.issues));
  const request = parsed.data;
  if (request.action === 'decide-hold') return request;
  // Who asked is the verified caller, set by the entry point: a body may not say it.
  if ('requestedBy' in request.detail)
    refuse([{ field: 'detail.requestedBy', reason: 'is the verified caller; do not send it' }]);
  const detail = detailSchemas[request.detailType].safeParse(request.detail);
  if (!detail.success) {
    return refuse(fieldIssues(detail.error.issues).map((i) => ({ ...i, field: `detail.${i.field}` })));
  }
  return { action: 'put-fact', detailType: request.detailType, detail: detail.data as Record<string, unknown> };
}
