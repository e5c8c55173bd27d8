/**
 * Validates a policy file and prints every problem with its field, rule and line; exits 1 when it is invalid.
 * `npm run policy:validate [-- FILE]` (default infra/policy.yml). Packaging runs it with `--json` and embeds the result.
 */
import { loadPolicyFile, PolicyFileError } from '../lib/policy-file/policy-file.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const file = args.find((a) => !a.startsWith('--')) ?? 'infra/policy.yml';
try {
  const policy = loadPolicyFile(file);
  // --json: the validated policy as JSON, which packaging embeds in each function.
  if (json) {
    process.stdout.write(JSON.stringify(policy));
    process.exit(0);
  }
  console.log(
    `${file} is valid: ${policy.networks.length} network(s), playbooks ${Object.keys(policy.incident.playbooks).join(', ')}`,
  );
} catch (error) {
  console.error(error instanceof PolicyFileError ? error.message : `${file}: ${(error as Error).message}`);
  process.exit(1);
}
