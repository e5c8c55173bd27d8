import type { WickrFieldIssue } from './errors.js';

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

function join(path: readonly PropertyKey[], key?: string): string {
  const parts = key === undefined ? path.map(String) : [...path.map(String), key];
  return parts.length > 0 ? parts.join('.') : '(input)';
}

function reasonOf(issue: SchemaIssue): string {
  if (issue.message !== placeholder) return issue.message;
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? 'is required' : `must be ${issue.expected ?? 'of another type'}`;
  }
  return issue.code.replaceAll('_', ' ');
}

/** Turns schema issues into one issue per field, unknown members each named with their full path. */
export function fieldIssues(issues: readonly SchemaIssue[]): WickrFieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? (issue.keys ?? []).map((key) => ({
          field: join(issue.path, key),
          reason: issue.message === placeholder ? 'is not a member of this request' : issue.message,
        }))
      : [{ field: join(issue.path), reason: reasonOf(issue) }],
  );
}
