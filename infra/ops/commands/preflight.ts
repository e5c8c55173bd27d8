/** `ops preflight`: read-only: who you are, each network reachable, what the automation would do there. */
import { readFileSync } from 'node:fs';
import { callerArn } from '../incident-outcomes.js';
import { type OpsCommand, targetOptionsHelp } from '../ops-command.js';
import {
  checkPermissions,
  type DeployerStatement,
  iamSimulator,
  type PermissionCheck,
  permissionText,
  simulationCalls,
} from '../permission-check.js';
import { preflight, preflightText } from '../preflight.js';

const deployerPolicy = () =>
  JSON.parse(readFileSync('infra/deployer-policy.json', 'utf8')) as { Statement: DeployerStatement[] };

/** `ops preflight`. */
export const preflightCommand: OpsCommand = {
  help: `npm run --silent ops -- preflight (--local | --stage S)

Read-only, against the networks of the policy file: the caller's identity and (on a stage) a dry IAM simulation
of what osls deploy needs (infra/deployer-policy.json's actions on this stage's resources; "not simulated" where
iam:SimulatePrincipalPolicy is denied); each network reachable (a list and a
settings read); what a SEV1, SEV2, SEV3 and SEV4 lockdown would change there (group, field, current → playbook;
the popup; selectors that would match nothing); which hr.allowedDepartments have a group and which would be
created; what a rotation tick would change now and whether its guard would hold it. Nothing is written. Exit 1
when something would fail or do nothing (a network that does not answer, a playbook that changes nothing).
${targetOptionsHelp}

Example: npm run --silent ops -- preflight --local`,
  async run({ values, target, print }) {
    const caller = await callerArn(target, values.as).catch(() => undefined);
    const permissions: PermissionCheck =
      target.kind === 'local'
        ? { status: 'not-simulated', reason: 'the local stack has no IAM' }
        : !caller
          ? { status: 'not-simulated', reason: 'the caller is unknown' }
          : await checkPermissions(
              iamSimulator(target.region),
              caller,
              simulationCalls(deployerPolicy().Statement, {
                region: target.region,
                account: caller.split(':')[4] ?? '',
                stage: values.stage ?? 'dev',
              }),
            );
    const networks = await preflight(target.wickr, target.policy, new Date());
    print({ caller, permissions, networks }, () => preflightText(caller, networks, permissionText(permissions)));
    if (!caller || permissions.status === 'missing' || networks.some((n) => n.problems.length > 0)) {
      process.exitCode = 1;
    }
  },
};
