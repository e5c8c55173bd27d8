/**
 * The quarantine step of a containment: the network's quarantine group (made once: found by name, else created with
 * a token derived from the network and the name, so concurrent containments make one group), the user moved there,
 * and moved back on release to the group HR says then.
 */
import { deterministicToken } from '../deterministic-token.js';
import { WickrResourceNotFoundError } from '../wickr/index.js';
import type { CaseSource } from './account-case.js';
import type { ContainmentDeps } from './ports.js';

/** Whether a containment opened by this source quarantines. */
export const quarantines = (deps: Pick<ContainmentDeps, 'quarantine'>, source: CaseSource | undefined) =>
  deps.quarantine !== undefined && source !== undefined && deps.quarantine.sources.includes(source);

/** The group's id; `replacing` a group deleted by hand, the new one is made with a token of its own. */
export async function groupOf(deps: ContainmentDeps, networkId: string, replacing?: string): Promise<string> {
  const kept = await deps.accounts.quarantineGroup(networkId);
  if (kept) return kept;
  const { groupName, settings } = deps.quarantine as NonNullable<ContainmentDeps['quarantine']>;
  for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    const found = page.securityGroups.find((g) => g.name.trim().toLowerCase() === groupName);
    if (found) return deps.accounts.keepQuarantineGroup(networkId, found.id);
  }
  const { securityGroup } = await deps.wickr.createSecurityGroup({
    networkId,
    name: groupName,
    securityGroupSettings: settings,
    // Wickr answers a token it saw with its first answer: a replacement must not be answered with the deleted group.
    clientToken: deterministicToken('quarantine-group', networkId, groupName, replacing ?? ''),
  });
  const groupId = await deps.accounts.keepQuarantineGroup(networkId, securityGroup.id);
  // As every group the automation makes: a network under lockdown locks it at once.
  await deps.publisher.publish('Wickr Security Group Provisioned', { networkId, groupId, action: 'created' });
  deps.logger.info('Quarantine group created', { networkId, groupId });
  return groupId;
}

/** Moves the user to the quarantine group (one UpdateUser once the group is known); answers what to keep. */
export async function quarantine(
  deps: ContainmentDeps,
  networkId: string,
  userId: string,
  from: readonly string[],
): Promise<{ groupId: string; from: readonly string[] }> {
  let replacing: string | undefined;
  for (;;) {
    const groupId = await groupOf(deps, networkId, replacing);
    if (from.length === 1 && from[0] === groupId) return { groupId, from };
    try {
      await deps.wickr.updateUser({ networkId, userId, userDetails: { securityGroupIds: [groupId] } });
      return { groupId, from };
    } catch (error) {
      // The kept group was deleted by hand: forget it and make (or find) it again, once.
      if (!(error instanceof WickrResourceNotFoundError) || replacing) throw error;
      await deps.accounts.forgetQuarantineGroup(networkId, groupId);
      replacing = groupId;
    }
  }
}

/** Moves a released user out of quarantine: to HR's group for them now, else back where they were. */
export async function unquarantine(
  deps: ContainmentDeps,
  networkId: string,
  userId: string,
  kept: { readonly groupId: string; readonly from: readonly string[] },
  hrGroupId: string | undefined,
): Promise<readonly string[]> {
  const to = hrGroupId ? [hrGroupId] : kept.from;
  if (to.length === 0) return to;
  await deps.wickr.updateUser({ networkId, userId, userDetails: { securityGroupIds: [...to] } });
  return to;
}
