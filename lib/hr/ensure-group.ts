import { deterministicToken } from '../store/deterministic-token.js';
import type { GroupMapping } from '../store/hr-mapping-store.js';
import { type SecurityGroupSettingsUpdate, WickrResourceNotFoundError } from '../wickr/index.js';
import { HrGroupCapError } from './errors.js';
import { normalizeName, splitTemplate } from './group-template.js';
import type { HrDeps } from './ports.js';

/** The group a department's people belong in, and how it came to be. */
export interface EnsuredGroup {
  readonly groupId: string;
  readonly action: 'existing' | 'adopted' | 'created';
}

async function findByName(deps: HrDeps, networkId: string, name: string): Promise<string | undefined> {
  for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    const found = page.securityGroups.find((g) => normalizeName(g.name) === name);
    if (found) return found.id;
  }
  return undefined;
}

/**
 * Finds the group through our mapping, else by name in the network (a group an admin made is adopted as it is),
 * else creates it: the intent is recorded first, CreateSecurityGroup carries a `clientToken` derived from network
 * and name, and UpdateSecurityGroup sets what Create cannot. Each step is recorded, so a retry after any failure
 * completes the group instead of creating another.
 */
export async function ensureGroup(
  deps: HrDeps,
  networkId: string,
  name: string,
  settings: SecurityGroupSettingsUpdate,
): Promise<EnsuredGroup> {
  let mapping: GroupMapping | undefined = await deps.mappings.getGroup(networkId, name);
  let generation = 0;
  if (mapping?.state === 'ready' && mapping.groupId) {
    // An admin may have deleted the group since: then the mapping is forgotten and the group made again.
    const alive = await deps.wickr.getSecurityGroup({ networkId, groupId: mapping.groupId }).then(
      () => true,
      (error: unknown) => {
        if (error instanceof WickrResourceNotFoundError) return false;
        throw error;
      },
    );
    if (alive) return { groupId: mapping.groupId, action: 'existing' };
    deps.logger.info('Mapped security group is gone; making it again', { networkId, groupId: mapping.groupId });
    await deps.mappings.deleteGroup(networkId, name, mapping.groupId);
    // A new generation, so the new CreateSecurityGroup does not replay the old one's answer.
    generation = (mapping.generation ?? 0) + 1;
    mapping = undefined;
  }
  const clientToken = deterministicToken('security-group', networkId, name, String(generation));
  if (!mapping) {
    const existing = await findByName(deps, networkId, name);
    const cap = deps.hr.maxCreatedGroupsPerNetwork;
    if (!existing && (await deps.mappings.countCreatedGroups(networkId)) >= cap) {
      throw new HrGroupCapError(networkId, cap);
    }
    mapping = await deps.mappings.putGroupIfAbsent(
      networkId,
      existing
        ? { name, state: 'ready', clientToken, groupId: existing, adopted: true }
        : { name, state: 'creating', clientToken },
    );
    if (mapping.state === 'ready' && mapping.groupId) {
      deps.logger.info('Security group adopted', { networkId, groupId: mapping.groupId });
      await deps.publisher.publish('Wickr Security Group Provisioned', {
        networkId,
        groupId: mapping.groupId,
        action: 'adopted',
      });
      return { groupId: mapping.groupId, action: 'adopted' };
    }
  }
  const { create, update } = splitTemplate(settings);
  if (mapping.state === 'creating') {
    const { securityGroup } = await deps.wickr.createSecurityGroup({
      networkId,
      name,
      securityGroupSettings: create,
      clientToken: mapping.clientToken,
    });
    mapping = { ...mapping, state: 'created', groupId: securityGroup.id };
    await deps.mappings.advanceGroup(networkId, mapping);
  }
  const groupId = mapping.groupId as string;
  if (Object.keys(update).length > 0) {
    await deps.wickr.updateSecurityGroup({ networkId, groupId, securityGroupSettings: update });
  }
  await deps.mappings.advanceGroup(networkId, { ...mapping, state: 'ready' });
  deps.logger.info('Security group created', { networkId, groupId });
  await deps.publisher.publish('Wickr Security Group Provisioned', { networkId, groupId, action: 'created' });
  return { groupId, action: 'created' };
}
