/**
 * An operator's decision as the operators' entry point takes it (lib/operators/decide-hold.ts): as the operators'
 * role, bound to the hold's revision and count as `holds show` prints them, the hold sealed. For use-case tests that
 * decide and then deliver the nudge themselves.
 */
import { type Holds, holdRevision } from '../../lib/holds/hold.js';
import { decideHold } from '../../lib/operators/decide-hold.js';

/** The operators' role the tests decide as. */
export const testOperatorsRole = 'arn:aws:iam::123456789012:role/wickr-operators';

/** Decides `holdId` at `atMs` as the operators' role, approving exactly what it holds now. */
export async function decideAsOperator(
  holds: Pick<Holds, 'get' | 'seal' | 'decide' | 'decisionOf'>,
  holdId: string,
  decision: 'approve' | 'reject',
  atMs = Date.now(),
) {
  const hold = await holds.get(holdId);
  const seen = hold ? { revision: holdRevision(hold.subjects), count: hold.subjects.length } : {};
  return decideHold(
    { holdId, decision, ...seen },
    { arn: testOperatorsRole },
    { holds, operatorsRoleArn: testOperatorsRole, clock: { now: () => atMs }, nudge: async () => {} },
  );
}
