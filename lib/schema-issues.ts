/** The parts of a zod issue this project reads. */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly input?: unknown;
  readonly keys?: readonly string[];
}

// zod/mini ships no message locale: its own text is this placeholder, so the code says what was wrong.
const placeholder = 'Invalid input';

/** A path as `a.b.0.c`; a key that is not a plain name is quoted, so even `" "` is visible. */
export function formatPath(path: readonly PropertyKey[], empty = '(input)'): string {
  if (path.length === 0) return empty;
  return path
    .map((p) =>
      typeof p === 'number' || /^[A-Za-z_$][\w$-]*$/.test(String(p)) ? String(p) : JSON.stringify(String(p)),
    )
    .join('.');
}

const join = (path: readonly PropertyKey[]) => formatPath(path);

function reasonOf(issue: SchemaIssue): string {
  if (issue.message !== placeholder) return issue.message;
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    return issue.expected === 'boolean' ? 'must be true or false' : `must be ${issue.expected ?? 'of another type'}`;
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
