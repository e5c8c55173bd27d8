/** `ops plan`: what a rotation tick would change — \`npm run policy:plan\`, run for you. */
import { spawnSync } from 'node:child_process';
import type { OpsCommand } from '../ops-command.js';

/** `ops plan`: hands its arguments to policy:plan, whose options it takes. */
export const planCommand: OpsCommand = {
  help: `npm run --silent ops -- plan --network ID [--at ISO] --local

What a rotation tick would change: npm run policy:plan, with the same options.

Example: npm run --silent ops -- plan --network 12345678 --local`,
  passThrough: (args) => runPlan(args),
};

/** Runs policy:plan with these arguments, as \`ops plan\` does before any option is read; its exit status. */
export function runPlan(args: readonly string[]): number {
  const plan = spawnSync(process.execPath, ['--import', 'tsx', 'infra/policy-plan.ts', ...args], { stdio: 'inherit' });
  return plan.status ?? 1;
}
