/**
 * Validates a policy file and prints every problem with its field, rule and line; exits 1 when it is invalid.
 * `npm run policy:validate [-- FILE]` (default infra/policy.yml). Packaging runs it with `--json` and embeds the result.
 */
import { loadPolicyFile, PolicyFileError } from '../lib/policy-file/policy-file.js';
import { commandLine, existingFile, refuse } from './command-line.js';

const help = `npm run policy:validate -- [FILE] [--json]

Validates a policy file (networks, incident playbooks, HR templates, rotation) and prints every problem with its
field, rule and line; exits 1 when it is invalid.

  FILE     the policy file                                                        [infra/policy.yml]
  --json   print the validated policy as JSON (what packaging embeds in each function)
  --help   this text

Example: npm run policy:validate -- my-policy.yml`;

const { values, positionals } = commandLine(
  'policy:validate',
  help,
  { json: { type: 'boolean' } },
  { positionals: true },
);
if (positionals.length > 1) refuse(`one policy file at a time, got ${positionals.length}`, 'policy:validate');
const file = existingFile('policy:validate', 'FILE', positionals[0] ?? 'infra/policy.yml');
try {
  const policy = loadPolicyFile(file);
  if (values.json) {
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
