/**
 * The operators' entry point on the bus: facts it puts after AWS authenticated the caller (a function URL with
 * `AuthType: AWS_IAM`), under a source the bus lets only its role use. Only such a fact is the on-call's own, may
 * override another channel, or names who asked (`requestedBy`): never a field of any other event.
 */

/** The source of the entry point's facts; the bus policy admits only the entry point's role for it. */
export const operatorActionsSource = 'wickr.autopilot.operator-actions';

/** The facts the entry point may put, each checked with its function's own schema first. */
export const operatorFactTypes = [
  'Incident Declared',
  'Incident Resolved',
  'Account Compromised',
  'Account Cleared',
  'Posture Accept Requested',
] as const;
export type OperatorFactType = (typeof operatorFactTypes)[number];

/**
 * The field of an event that claims what only the entry point may claim (`requestedBy`, `override`), when the event
 * is not the entry point's; undefined when it claims nothing it may not.
 */
export function unverifiedClaim(event: {
  readonly source: string;
  readonly detail: { readonly requestedBy?: unknown; readonly override?: unknown };
}): 'detail.requestedBy' | 'detail.override' | undefined {
  if (event.source === operatorActionsSource) return undefined;
  if (event.detail.override !== undefined) return 'detail.override';
  if (event.detail.requestedBy !== undefined) return 'detail.requestedBy';
  return undefined;
}

/** Why such a claim is refused, naming the command that makes it with authority. */
export const unverifiedClaimReason =
  "is the operators' entry point's to set (ops signs with your AWS identity there); no other event may claim it";
