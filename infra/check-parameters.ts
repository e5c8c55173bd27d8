/**
 * `tsx infra/check-parameters.ts '{"name":"value",…}'`: the packaging plugin's check of `--param` values against
 * serverless.yml's parameters and their rules (infra/parameters.ts). Prints each problem on a line; exit 2 if any.
 */
import { loadServerlessConfig } from './local/serverless-config.js';
import { parameterProblems } from './parameters.js';

const given = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const declared = (loadServerlessConfig('serverless.yml').params as { default?: Record<string, unknown> }).default;
const problems = parameterProblems(given, Object.keys(declared ?? {}));
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(2);
}
