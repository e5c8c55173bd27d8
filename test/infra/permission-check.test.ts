/**
 * The preflight's dry IAM simulation. The simulator is a port: here an evaluator of identity-policy allows (action
 * and resource wildcards, as IAM matches them) stands in for IAM's, over the deployer policy file itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../infra/local/iam/resource-policy.js';
import {
  checkPermissions,
  concreteArn,
  type DeployerStatement,
  permissionText,
  type Simulate,
  simulationCalls,
} from '../../infra/ops/permission-check.js';

const deployer = JSON.parse(readFileSync('infra/deployer-policy.json', 'utf8')) as { Statement: DeployerStatement[] };
const where = { region: 'eu-west-1', account: '123456789012', stage: 'prod' };

/** Allowed when a statement of the attached policy names the action and the resource (no conditions here). */
const evaluator =
  (attached: readonly DeployerStatement[]): Simulate =>
  async (_principal, call) =>
    call.actionNames.flatMap((action) =>
      call.resourceArns.map((resource) => ({
        action,
        resource,
        decision: attached.some(
          (s) =>
            [s.Action].flat().some((a) => wildcardMatch(a, action)) &&
            [s.Resource].flat().some((r) => wildcardMatch(r, resource)),
        )
          ? 'allowed'
          : 'implicitDeny',
      })),
    );

describe('the deploy permission check', () => {
  it('names resources as this stage would, in its region and account', () => {
    expect(concreteArn('arn:aws:cloudformation:*:*:stack/wickr-autopilot-*/*', where)).toBe(
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/wickr-autopilot-prod/prod',
    );
    expect(concreteArn('arn:aws:iam::*:role/wickr-autopilot-*', where)).toBe(
      'arn:aws:iam::123456789012:role/wickr-autopilot-prod',
    );
    expect(concreteArn('*', where)).toBe('*');
  });

  it('finds everything allowed for a caller holding the deployer policy', async () => {
    const calls = simulationCalls(deployer.Statement, where);
    const check = await checkPermissions(evaluator(deployer.Statement), 'arn:aws:iam::123456789012:role/d', calls);
    const actions = deployer.Statement.flatMap((s) => [s.Action].flat()).length;
    expect(check).toEqual({ status: 'allowed', checked: expect.any(Number) });
    expect((check as { checked: number }).checked).toBeGreaterThanOrEqual(actions);
  });

  it('lists what is missing for a caller without the roles statement, and only that', async () => {
    const partial = deployer.Statement.filter((s) => s.Sid !== 'TheRolesByName');
    const calls = simulationCalls(deployer.Statement, where);
    const check = await checkPermissions(evaluator(partial), 'arn:aws:iam::123456789012:role/d', calls);
    if (check.status !== 'missing') throw new Error(`expected missing permissions, got ${check.status}`);
    const { missing } = check;
    expect(new Set(missing.map((m) => m.resource))).toEqual(
      new Set(['arn:aws:iam::123456789012:role/wickr-autopilot-prod']),
    );
    expect(missing.map((m) => m.action)).toContain('iam:PassRole');
    expect(permissionText(check)[0]).toMatch(/^permissions: \d+ of \d+ deploy permissions NOT allowed/);
  });

  it('says "not simulated" when the simulator itself is denied, never "allowed"', async () => {
    const denied: Simulate = async () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    };
    const check = await checkPermissions(
      denied,
      'arn:aws:iam::123456789012:role/d',
      simulationCalls(deployer.Statement, where),
    );
    expect(check).toEqual({
      status: 'not-simulated',
      reason: 'AccessDenied: the simulator could not be asked (iam:SimulatePrincipalPolicy)',
    });
  });
});
