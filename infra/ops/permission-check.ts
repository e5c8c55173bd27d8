/**
 * The preflight's dry IAM simulation: would the caller be allowed what `osls deploy` of this stack needs — the
 * actions of `infra/deployer-policy.json`, on resources named as this stage names them? Asked of IAM's policy
 * simulator (`iam:SimulatePrincipalPolicy`, read-only), statement by statement. Where the simulator itself is
 * denied, the answer is "not simulated", never "allowed".
 */
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';

/** One statement of an identity policy, as the deployer policy file writes it. */
export interface DeployerStatement {
  readonly Sid?: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

/** One question for the simulator: these actions on these resources. */
export interface SimulationCall {
  readonly sid: string;
  readonly actionNames: readonly string[];
  readonly resourceArns: readonly string[];
}

/** The simulator's answer for one action on one resource. */
export interface SimulatedDecision {
  readonly action: string;
  readonly resource: string;
  readonly decision: string;
}

/** The caller's permissions as far as the simulator could tell. */
export type PermissionCheck =
  | { readonly status: 'allowed'; readonly checked: number }
  | { readonly status: 'missing'; readonly checked: number; readonly missing: readonly SimulatedDecision[] }
  | { readonly status: 'not-simulated'; readonly reason: string };

/** A resource pattern made concrete for this deployment: region and account filled, other wildcards the stage. */
export function concreteArn(pattern: string, where: { region: string; account: string; stage: string }): string {
  if (pattern === '*') return '*';
  const fields = pattern.split(':');
  if (fields[3] === '*') fields[3] = where.region;
  if (fields[4] === '*') fields[4] = where.account;
  return fields.join(':').replaceAll('*', where.stage);
}

/** The questions the deployer policy asks, one per statement. */
export function simulationCalls(
  statements: readonly DeployerStatement[],
  where: { region: string; account: string; stage: string },
): SimulationCall[] {
  return statements.map((s, i) => ({
    sid: s.Sid ?? `statement ${i + 1}`,
    actionNames: [s.Action].flat(),
    resourceArns: [s.Resource].flat().map((r) => concreteArn(r, where)),
  }));
}

/** The port the simulator is reached through (IAM's SimulatePrincipalPolicy, or a test's evaluator). */
export type Simulate = (principalArn: string, call: SimulationCall) => Promise<readonly SimulatedDecision[]>;

/** IAM's policy simulator, every page of its answer. */
export function iamSimulator(region: string): Simulate {
  const iam = new IAMClient({ region });
  return async (principalArn, call) => {
    const decisions: SimulatedDecision[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: principalArn,
          ActionNames: [...call.actionNames],
          ResourceArns: [...call.resourceArns],
          Marker: marker,
        }),
      );
      for (const r of page.EvaluationResults ?? []) {
        decisions.push({
          action: r.EvalActionName ?? '',
          resource: r.EvalResourceName ?? '*',
          decision: r.EvalDecision ?? 'implicitDeny',
        });
      }
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return decisions;
  };
}

/** Asks every question; a simulator that refuses (AccessDenied) makes the answer "not simulated". */
export async function checkPermissions(
  simulate: Simulate,
  principalArn: string,
  calls: readonly SimulationCall[],
): Promise<PermissionCheck> {
  const decisions: SimulatedDecision[] = [];
  try {
    for (const call of calls) decisions.push(...(await simulate(principalArn, call)));
  } catch (error) {
    const name = (error as Error).name;
    return {
      status: 'not-simulated',
      reason: `${name}: the simulator could not be asked (iam:SimulatePrincipalPolicy)`,
    };
  }
  const missing = decisions.filter((d) => d.decision !== 'allowed');
  return missing.length === 0
    ? { status: 'allowed', checked: decisions.length }
    : { status: 'missing', checked: decisions.length, missing };
}

/** One line for the preflight's table. */
export function permissionText(check: PermissionCheck): string[] {
  if (check.status === 'not-simulated') return [`permissions: not simulated — ${check.reason}`];
  if (check.status === 'allowed')
    return [`permissions: all ${check.checked} deploy permissions allowed (IAM simulation)`];
  return [
    `permissions: ${check.missing.length} of ${check.checked} deploy permissions NOT allowed (IAM simulation):`,
    ...check.missing.slice(0, 20).map((m) => `  ${m.action} on ${m.resource}: ${m.decision}`),
    ...(check.missing.length > 20 ? [`  … and ${check.missing.length - 20} more (--json lists all)`] : []),
  ];
}
