import * as z from 'zod/mini';
import { didYouMean } from '../did-you-mean.js';
import { AutomationError } from '../failure.js';
import { formatPath, pathIssues } from '../schema-issues.js';
import { AccessReviewSection } from './access-review-section.js';
import { ContainmentSection } from './containment-section.js';
import { HrSection } from './hr-section.js';
import { IncidentSection } from './incident-section.js';
import { PostureSection } from './posture-section.js';
import { RotationSection } from './rotation-section.js';
import { SafeguardsSection } from './safeguards-section.js';
import { SourcesSection } from './sources-section.js';

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
  safeguards: z._default(SafeguardsSection, () => SafeguardsSection.parse({})),
  sources: z._default(SourcesSection, () => ({})),
  containment: z._default(ContainmentSection, () => ContainmentSection.parse({})),
  accessReview: z._default(AccessReviewSection, () => AccessReviewSection.parse({})),
  posture: z._default(PostureSection, () => PostureSection.parse({})),
});
export type PolicyFile = z.output<typeof PolicyFile>;

/** One problem in a policy file: where, and which rule. */
export interface PolicyIssue {
  readonly path: string;
  readonly line: number | undefined;
  readonly message: string;
}

/** A policy file that cannot be used, with every problem found. */
export class PolicyFileError extends AutomationError {
  override name = 'PolicyFileError';
  constructor(
    readonly file: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    super(
      `${file} is not a valid policy file:\n${issues
        .map((i) => `  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`)
        .join('\n')}`,
      // A broken policy stays broken: refuse the event instead of retrying it.
      { retryable: false, code: 'POLICY_INVALID' },
    );
  }
}

type ZodNode = {
  _zod: {
    def: { type: string; shape?: Record<string, ZodNode>; innerType?: ZodNode; element?: ZodNode; valueType?: ZodNode };
  };
};

/** The member names the schema knows at `path` (for "did you mean"), or none. */
function knownKeysAt(schema: ZodNode, path: readonly PropertyKey[]): string[] {
  let node: ZodNode | undefined = schema;
  const unwrap = (n: ZodNode | undefined): ZodNode | undefined => {
    let current = n;
    while (current && ['default', 'optional', 'nullable', 'prefault'].includes(current._zod.def.type)) {
      current = current._zod.def.innerType;
    }
    return current;
  };
  for (const key of path) {
    node = unwrap(node);
    const def = node?._zod.def;
    if (def?.type === 'object') node = def.shape?.[String(key)];
    else if (def?.type === 'array') node = def.element;
    else if (def?.type === 'record') node = def.valueType;
    else return [];
  }
  return Object.keys(unwrap(node)?._zod.def.shape ?? {});
}

/** An unknown member's message: the name probably meant, else the names that exist there. */
export function unknownMemberReason(path: readonly PropertyKey[]): string {
  const known = knownKeysAt(PolicyFile as unknown as ZodNode, path.slice(0, -1));
  const name = String(path.at(-1));
  const near = didYouMean(name, known);
  if (near) return `is not a known field; did you mean ${near}?`;
  return known.length ? `is not a known field (here: ${known.join(', ')})` : 'is not a known field';
}

/** The issues of a failed parse, each unknown member with its likely meaning. */
export function policyIssues(issues: Parameters<typeof pathIssues>[0]) {
  return pathIssues(issues, 'is not a known field').map((issue) =>
    issue.reason === 'is not a known field' ? { ...issue, reason: unknownMemberReason(issue.path) } : issue,
  );
}

/** Validates a policy already parsed (e.g. embedded as JSON at packaging); problems name the field and the rule. */
export function validatePolicy(value: unknown, file: string): PolicyFile {
  const parsed = PolicyFile.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new PolicyFileError(
    file,
    policyIssues(parsed.error.issues).map(({ path, reason }) => ({
      path: formatPath(path, '(root)'),
      line: undefined,
      message: reason,
    })),
  );
}
