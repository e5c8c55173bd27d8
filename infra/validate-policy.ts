/**
 * Validates a policy file and prints every problem with its field, rule and line; exits 1 when it is invalid.
 * `npx tsx infra/validate-policy.ts [FILE]` (default infra/policy.yml). Packaging runs it first.
 */
import { loadPolicyFile, PolicyFileError } from '../lib/policy-file/policy-file.js';

const file = process.argv[2] ?? 'infra/policy.yml';
try {
  const policy = loadPolicyFile(file);
  console.log(
    `${file} is valid: ${policy.networks.length} network(s), playbooks ${Object.keys(policy.incident.playbooks).join(', ')}`,
  );
} catch (error) {
  console.error(error instanceof PolicyFileError ? error.message : `${file}: ${(error as Error).message}`);
  process.exit(1);
}
