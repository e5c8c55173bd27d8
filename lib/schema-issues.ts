/** The parts of a zod issue this project reads. */
interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly input?: unknown;
  readonly keys?: readonly string[];
}

// zod/mini ships no message locale: its own text is this placeholder, so the code says what was wrong.
const placeholder = 'Invalid input';

function join(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(input)';
}

function reasonOf(issue: SchemaIssue): string {
  if (issue.message !== placeholder) return issue.message;
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? 'is required' : `must be ${issue.expected ?? 'of another type'}`;
  }
  return issue.code.replaceAll('_', ' ');
}

/** One broken rule, at a path. */
export interface PathIssue {
  readonly path: readonly PropertyKey[];
  readonly reason: string;
}

/** Turns zod issues into one issue per field; each unknown member is named with its own path. */
export function pathIssues(
  issues: readonly SchemaIssue[],
  unknownReason = 'is not a member of this request',
): PathIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? (issue.keys ?? []).map((key) => ({
          path: [...issue.path, key],
          reason: issue.message === placeholder ? unknownReason : issue.message,
        }))
      : [{ path: issue.path, reason: reasonOf(issue) }],
  );
}

/** The same, with dotted field names: `securityGroupSettings.maxNonSsoSessionMinutes`. */
export function fieldIssues(issues: readonly SchemaIssue[]): { field: string; reason: string }[] {
  return pathIssues(issues).map((i) => ({ field: join(i.path), reason: i.reason }));
}
