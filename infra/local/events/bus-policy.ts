/**
 * The bus's resource policy, as EventBridge applies it to PutEvents: an explicit `Deny` whose conditions hold for
 * an entry refuses the whole request. The conditions this project deploys are evaluated — `StringEquals` on
 * `events:source` and `ArnNotEquals`/`ArnEquals` on `aws:PrincipalArn` — and a statement with any other condition
 * key is refused at start rather than silently ignored. `Allow` statements need no check here: same-account
 * callers are allowed by their identity policies, which the local stack does not model.
 */
import type { BusPolicyStatement } from '../serverless-config.js';

/** Who is calling and what they put. */
export interface PutRequestContext {
  readonly principalArn: string;
  readonly sources: readonly string[];
}

const known = new Set(['StringEquals:events:source', 'ArnNotEquals:aws:PrincipalArn', 'ArnEquals:aws:PrincipalArn']);
const asList = (v: string | readonly string[]) => (typeof v === 'string' ? [v] : v);

/** Checks that every statement uses only conditions this evaluator knows. */
export function checkBusPolicy(statements: readonly BusPolicyStatement[]): void {
  for (const statement of statements) {
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      for (const key of Object.keys(keys)) {
        if (!known.has(`${operator}:${key}`))
          throw new Error(`The local bus cannot evaluate condition ${operator} ${key}`);
      }
    }
  }
}

/** The deny statement that refuses this request, if one does. */
export function deniedBy(
  statements: readonly BusPolicyStatement[],
  request: PutRequestContext,
): BusPolicyStatement | undefined {
  return statements.find((statement) => {
    if (statement.Effect !== 'Deny' || !asList(statement.Action).includes('events:PutEvents')) return false;
    const c = statement.Condition ?? {};
    const sources = c.StringEquals?.['events:source'];
    const notPrincipals = c.ArnNotEquals?.['aws:PrincipalArn'];
    const principals = c.ArnEquals?.['aws:PrincipalArn'];
    return request.sources.some(
      (source) =>
        (sources === undefined || asList(sources).includes(source)) &&
        (notPrincipals === undefined || !asList(notPrincipals).includes(request.principalArn)) &&
        (principals === undefined || asList(principals).includes(request.principalArn)),
    );
  });
}
