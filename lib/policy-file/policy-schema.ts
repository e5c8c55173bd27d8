import * as z from 'zod/mini';
import { formatPath, pathIssues } from '../schema-issues.js';
import { HrSection } from './hr-section.js';
import { IncidentSection } from './incident-section.js';
import { RotationSection } from './rotation-section.js';

const NetworkEntry = z.strictObject({
  networkId: z.string().check(z.regex(/^[0-9]{8}$/, 'must be exactly 8 digits')),
  name: z.optional(z.string()),
});

/** The policy file: every section composed in one place. */
export const PolicyFile = z.strictObject({
  version: z.literal(1, 'must be 1'),
  /** The networks this deployment manages; the default target of every event. */
  networks: z.array(NetworkEntry).check(z.minLength(1, 'must list at least one network')),
  incident: IncidentSection,
  hr: z._default(HrSection, () => HrSection.parse({})),
  rotation: z._default(RotationSection, () => RotationSection.parse({})),
});
export type PolicyFile = z.output<typeof PolicyFile>;

/** One problem in a policy file: where, and which rule. */
export interface PolicyIssue {
  readonly path: string;
  readonly line: number | undefined;
  readonly message: string;
}

/** A policy file that cannot be used, with every problem found. */
export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
  constructor(
    readonly file: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    super(
      `${file} is not a valid policy file:\n${issues
        .map((i) => `  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`)
        .join('\n')}`,
    );
  }
  /** A broken policy stays broken: refuse the event instead of retrying it. */
  get retryable(): boolean {
    return false;
  }
}

/** Validates a policy already parsed (e.g. embedded as JSON at packaging); problems name the field and the rule. */
export function validatePolicy(value: unknown, file: string): PolicyFile {
  const parsed = PolicyFile.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PolicyFileError(
    file,
    pathIssues(parsed.error.issues, 'is not a known field').map(({ path, reason }) => ({
      path: formatPath(path, '(root)'),
      line: undefined,
      message: reason,
    })),
  );
}
