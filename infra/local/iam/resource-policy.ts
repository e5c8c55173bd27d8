/**
 * Resource policies, as AWS evaluates their explicit denies: a `Deny` statement whose action, resource and every
 * condition hold for a request refuses it, whatever allows it elsewhere. This is what the local bus and SQS need to
 * enforce the policies this project deploys (the allows come from identity policies, which are not modelled).
 *
 * Condition operators: `StringEquals`, `StringNotEquals`, `ArnEquals`, `ArnNotEquals`, `ArnLike`, `ArnNotLike`, and the
 * set operators `ForAnyValue:StringEquals` / `ForAnyValue:StringLike`; keys: `aws:PrincipalArn`, `aws:SourceArn`,
 * `aws:SourceAccount`, `events:source`, `dynamodb:LeadingKeys`. As IAM documents, a key absent from the
 * request makes a positive operator false and a negated one (`…Not…`) true; several values of one key match when any
 * does; the operators of a statement must all hold. A policy with another operator or key is refused when loaded,
 * never silently ignored.
 */

/** One statement of a resource policy, intrinsics resolved to strings. */
export interface PolicyStatement {
  readonly Sid?: string | undefined;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[] | undefined;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> | undefined;
}

/** What AWS knows of a request when it evaluates a resource policy. */
export interface RequestContext {
  /** The IAM principal's ARN; absent for a service principal acting for a resource (EventBridge delivering). */
  readonly principalArn?: string | undefined;
  /** The resource on whose behalf a service acts (the rule that delivers). */
  readonly sourceArn?: string | undefined;
  readonly sourceAccount?: string | undefined;
  /** `events:source`: for PutEvents, one per entry (the request is denied if any entry is). */
  readonly eventSources?: readonly string[] | undefined;
  /** `dynamodb:LeadingKeys`: the partition keys a DynamoDB request touches. */
  readonly leadingKeys?: readonly string[] | undefined;
}

const operators = new Set([
  'StringEquals',
  'StringNotEquals',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  // True when any of the request's values matches (a key absent from the request: false), as IAM documents.
  'ForAnyValue:StringEquals',
  'ForAnyValue:StringLike',
]);
const keys = new Set([
  'aws:PrincipalArn',
  'aws:SourceArn',
  'aws:SourceAccount',
  'events:source',
  'dynamodb:LeadingKeys',
]);
const asList = (v: string | readonly string[] | undefined): readonly string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : v;

/** `*` and `?` as IAM's wildcards, matched without building a regex from the pattern. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Checks that every statement uses only what this evaluator knows; throws naming the first that does not. */
export function checkPolicy(statements: readonly PolicyStatement[], where: string): void {
  for (const statement of statements) {
    for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
      for (const key of Object.keys(conditions)) {
        if (!operators.has(operator) || !keys.has(key)) {
          throw new Error(`${where}: the local stack cannot evaluate condition ${operator} ${key}`);
        }
      }
    }
  }
}

function contextValues(key: string, context: RequestContext): readonly string[] | undefined {
  switch (key) {
    case 'aws:PrincipalArn':
      return context.principalArn === undefined ? undefined : [context.principalArn];
    case 'aws:SourceArn':
      return context.sourceArn === undefined ? undefined : [context.sourceArn];
    case 'aws:SourceAccount':
      return context.sourceAccount === undefined ? undefined : [context.sourceAccount];
    case 'dynamodb:LeadingKeys':
      return context.leadingKeys;
    default:
      return context.eventSources;
  }
}

function conditionHolds(operator: string, expected: readonly string[], actual: readonly string[] | undefined) {
  const negated = operator.includes('Not');
  if (actual === undefined || actual.length === 0) return negated;
  const like = operator.endsWith('Like');
  const matches = (value: string) => expected.some((e) => (like ? wildcardMatch(e, value) : e === value));
  // For events:source a request has many values: the statement applies if it applies to any of them.
  return actual.some((value) => (negated ? !matches(value) : matches(value)));
}

/** The explicit deny that refuses `action` on `resource` for this request, if one does. */
export function deniedBy(
  statements: readonly PolicyStatement[],
  action: string,
  resource: string,
  context: RequestContext,
): PolicyStatement | undefined {
  return statements.find((statement) => {
    if (statement.Effect !== 'Deny') return false;
    if (!asList(statement.Action).some((a) => wildcardMatch(a, action))) return false;
    const resources = asList(statement.Resource);
    if (resources.length > 0 && !resources.some((r) => wildcardMatch(r, resource))) return false;
    if (context.eventSources && context.eventSources.length > 1) {
      // Each entry is its own request context: deny if the statement holds for any one of them.
      return context.eventSources.some((source) => allConditions(statement, { ...context, eventSources: [source] }));
    }
    return allConditions(statement, context);
  });
}

function allConditions(statement: PolicyStatement, context: RequestContext): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, conditions]) =>
    Object.entries(conditions).every(([key, values]) =>
      conditionHolds(operator, asList(values), contextValues(key, context)),
    ),
  );
}
