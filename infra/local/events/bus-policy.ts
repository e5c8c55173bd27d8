/**
 * The bus's resource policy, as EventBridge applies it to PutEvents: an explicit `Deny` whose conditions hold for
 * any entry refuses the whole request (`../iam/resource-policy.ts` evaluates it).
 */
import { deniedBy as denied, type PolicyStatement } from '../iam/resource-policy.js';

/** Who is calling and what they put. */
export interface PutRequestContext {
  readonly principalArn: string;
  readonly sources: readonly string[];
  readonly busArn: string;
}

/** The deny statement that refuses this request, if one does. */
export function deniedBy(
  statements: readonly PolicyStatement[],
  request: PutRequestContext,
): PolicyStatement | undefined {
  return denied(statements, 'events:PutEvents', request.busArn, {
    principalArn: request.principalArn,
    eventSources: request.sources,
  });
}
