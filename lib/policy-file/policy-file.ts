import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from '../schema-issues.js';
import { PolicyFile, PolicyFileError, policyIssues } from './policy-schema.js';

export { PolicyFile, PolicyFileError, type PolicyIssue, validatePolicy } from './policy-schema.js';

/** Parses and validates policy YAML text; problems name the field, the rule and the line. */
export function parsePolicy(text: string, file = 'policy.yml'): PolicyFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    throw new PolicyFileError(
      file,
      document.errors.map((e) => ({ path: '(yaml)', line: e.linePos?.[0]?.line, message: e.message })),
    );
  }
  // The input is reported so that a wrong value ("yes please") is told apart from a missing one; it is never printed.
  const parsed = PolicyFile.safeParse(document.toJS(), { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new PolicyFileError(
    file,
    policyIssues(parsed.error.issues).map(({ path, reason }) => {
      const node = (document.getIn(path as unknown[], true) ?? document.getIn(path.slice(0, -1) as unknown[], true)) as
        | { range?: [number] }
        | undefined;
      const offset = node?.range?.[0];
      return {
        path: formatPath(path, '(root)'),
        line: offset === undefined ? undefined : lineCounter.linePos(offset).line,
        message: reason,
      };
    }),
  );
}

/** Reads and validates a policy file from disk. */
export function loadPolicyFile(path: string): PolicyFile {
  return parsePolicy(readFileSync(path, 'utf8'), path);
}
