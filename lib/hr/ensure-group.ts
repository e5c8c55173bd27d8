import { deterministicToken } from '../deterministic-token.js';
import { skeleton } from '../skeleton.js';
import type { SecurityGroupSettingsUpdate } from '../wickr/index.js';
import { HrError, HrGroupCapError, HrInputError } from './errors.js';
import type { GroupMapping } from './group-mapping.js';
import { normalizeName, splitTemplate } from './group-template.js';
import type { HrDeps } from './ports.js';

/** The group a department's people belong in, and how it came to be. */
export interface EnsuredGroup {
  readonly groupId: string;
  readonly action: 'existing' | 'adopted' | 'created';
}

/** A group the reconcile needs: its normalized name, the department it is for, and its template settings. */
export interface WantedGroup {
  readonly name: string;
  readonly department: string;
  readonly settings: SecurityGroupSettingsUpdate;
  /** An operator approved creating it past `hr.maxCreatedGroupsPerNetwork` (a hold). */
  readonly beyondCap?: boolean | undefined;
}

/** Another reconcile holds the group's creation intent past this invocation's time: try again later. */
export class GroupBeingMadeError extends HrError {
  override name = 'GroupBeingMadeError';
  constructor(
    readonly networkId: string,
    readonly groupName: string,
  ) {
    super(`Security group ${groupName} of network ${networkId} is being made by another reconcile`);
  }
}

/** How long a creation intent is held before another reconcile may take it over. */
const intentMs = 60_000;

async function groupsByName(deps: HrDeps, networkId: string): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for await (const page of deps.wickr.paginateSecurityGroups({ networkId, maxResults: 100 })) {
    for (const g of page.securityGroups)
      if (g.name && !byName.has(normalizeName(g.name))) byName.set(normalizeName(g.name), g.id);
  }
  return byName;
}

/**
 * Makes sure each wanted group exists, with as few Wickr calls as can be: a mapped group is trusted (a deleted one
 * shows up as a 404 on the user operation, and {@link remakeGroup} makes it again); the unmapped ones cost one
 * listing of the network's groups, where a same-named group an admin made is adopted as it is; the rest are
 * created. Creation is single-flight across concurrent reconciles: the intent written first is the lock, its
 * holder calls CreateSecurityGroup (with a `clientToken` from network, name and generation) and
 * UpdateSecurityGroup once, the others wait for `ready` — and take over, replaying the same token, if the holder
 * vanished.
 */
export async function ensureGroups(
  deps: HrDeps,
  networkId: string,
  wanted: readonly WantedGroup[],
  /** Where a group that cannot be had goes, with why; only its own people wait or are refused. */
  failed: Map<string, Error>,
): Promise<Map<string, EnsuredGroup>> {
  const ensured = new Map<string, EnsuredGroup>();
  const mappings = new Map<string, GroupMapping | undefined>();
  for (const group of wanted) {
    const mapping = await deps.mappings.getGroup(networkId, group.name);
    if (mapping?.state === 'ready' && mapping.groupId)
      ensured.set(group.name, { groupId: mapping.groupId, action: 'existing' });
    else mappings.set(group.name, mapping);
  }
  if (mappings.size === 0) return ensured;
  const unmapped = [...mappings].filter(([, m]) => !m).map(([name]) => name);
  const existing = unmapped.length > 0 ? await groupsByName(deps, networkId) : new Map<string, string>();
  for (const group of wanted) {
    if (!mappings.has(group.name)) continue;
    try {
      ensured.set(group.name, await settleGroup(deps, networkId, group, mappings.get(group.name), existing));
    } catch (error) {
      failed.set(group.name, error as Error);
    }
  }
  return ensured;
}

/**
 * Whether the automation may create this group: its department is one of `hr.allowedDepartments` (unless the
 * policy says `createGroups: any`), and its name does not look like an existing group's or an allowed department's
 * without being it (a TR39 skeleton match: `ѕаӏеѕ` beside `sales`). Throws the refusal, naming the field and rule.
 */
async function checkCreatable(deps: HrDeps, group: WantedGroup, existing: ReadonlyMap<string, string>) {
  const allowed = deps.hr.allowedDepartments ?? [];
  if (deps.hr.createGroups === 'allowed-departments' && !allowed.some((d) => normalizeName(d) === group.department)) {
    throw new HrInputError(
      'detail.department',
      'has no group yet, and only hr.allowedDepartments may create one (or set hr.createGroups: any)',
    );
  }
  const shape = await skeleton(group.name);
  const names = [...existing.keys(), ...allowed.map(normalizeName)].filter((name) => name !== group.name);
  const shapes = await Promise.all(names.map(skeleton));
  const lookalike = names.find((_, i) => shapes[i] === shape);
  if (lookalike !== undefined) {
    const id = existing.get(lookalike);
    throw new HrInputError(
      'detail.department',
      `looks like ${id ? `the existing group ${id}` : 'an allowed department'} without being it`,
    );
  }
}

async function settleGroup(
  deps: HrDeps,
  networkId: string,
  group: WantedGroup,
  seen: GroupMapping | undefined,
  existing: ReadonlyMap<string, string>,
): Promise<EnsuredGroup> {
  let mapping = seen;
  if (!mapping) {
    const found = existing.get(group.name);
    if (!found) await checkCreatable(deps, group, existing);
    const cap = group.beyondCap ? Number.MAX_SAFE_INTEGER : deps.hr.maxCreatedGroupsPerNetwork;
    if (!found && !(await deps.mappings.reserveGroupCreation(networkId, cap)))
      throw new HrGroupCapError(networkId, cap);
    const clientToken = deterministicToken('security-group', networkId, group.name, '0');
    mapping = await deps.mappings.putGroupIfAbsent(
      networkId,
      found
        ? { name: group.name, state: 'ready', clientToken, groupId: found, adopted: true }
        : { name: group.name, state: 'creating', clientToken, ...ownership(deps) },
    );
    if (found && mapping.groupId === found && mapping.state === 'ready') {
      deps.logger.info('Security group adopted', { networkId, groupId: found });
      deps.metrics?.add('GroupsAdopted', 1);
      await deps.publisher.publish('Wickr Security Group Provisioned', {
        networkId,
        groupId: found,
        action: 'adopted',
      });
      return { groupId: found, action: 'adopted' };
    }
  }
  // Someone else's intent: wait for it to be ready, and take it over only once its holder's time has run out.
  while (mapping.state !== 'ready' && mapping.owner !== deps.holder) {
    if ((mapping.ownerUntil ?? 0) < deps.clock.now()) {
      const next = { ...mapping, ...ownership(deps) };
      if (await deps.mappings.replaceGroup(networkId, mapping, next)) {
        mapping = next;
        break;
      }
    } else if (deps.clock.remainingMs() < 2 * deps.clock.pollMs) {
      throw new GroupBeingMadeError(networkId, group.name);
    } else {
      await deps.clock.sleep(deps.clock.pollMs);
    }
    mapping = (await deps.mappings.getGroup(networkId, group.name)) ?? mapping;
  }
  if (mapping.state === 'ready' && mapping.groupId) return { groupId: mapping.groupId, action: 'existing' };
  return makeGroup(deps, networkId, group, mapping);
}

const ownership = (deps: HrDeps) => ({ owner: deps.holder, ownerUntil: deps.clock.now() + intentMs });

/** The intent's holder: CreateSecurityGroup (create-time settings), then UpdateSecurityGroup (the rest). */
async function makeGroup(
  deps: HrDeps,
  networkId: string,
  group: WantedGroup,
  intent: GroupMapping,
): Promise<EnsuredGroup> {
  let mapping = intent;
  const { create, update } = splitTemplate(group.settings);
  if (mapping.state === 'creating') {
    const { securityGroup } = await deps.wickr.createSecurityGroup({
      networkId,
      name: group.name,
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
  await deps.mappings.advanceGroup(networkId, { ...mapping, state: 'ready', owner: undefined, ownerUntil: undefined });
  deps.logger.info('Security group created', { networkId, groupId });
  deps.metrics?.add('GroupsCreated', 1);
  await deps.publisher.publish('Wickr Security Group Provisioned', { networkId, groupId, action: 'created' });
  return { groupId, action: 'created' };
}

/**
 * A mapped group turned out deleted (an admin's doing): the mapping starts over under a new generation, so the new
 * CreateSecurityGroup does not replay the old one's answer. Concurrent reconciles that saw the same 404 agree on
 * one new group: only the first replaces the mapping, the others wait for it.
 */
export async function remakeGroup(deps: HrDeps, networkId: string, group: WantedGroup, goneGroupId: string) {
  const seen = await deps.mappings.getGroup(networkId, group.name);
  if (seen?.groupId === goneGroupId) {
    deps.logger.info('Mapped security group is gone; making it again', { networkId, groupId: goneGroupId });
    const generation = (seen.generation ?? 0) + 1;
    const next: GroupMapping = {
      name: group.name,
      state: 'creating',
      generation,
      clientToken: deterministicToken('security-group', networkId, group.name, String(generation)),
      ...ownership(deps),
    };
    if (await deps.mappings.replaceGroup(networkId, seen, next)) return makeGroup(deps, networkId, group, next);
  }
  const failed = new Map<string, Error>();
  const [ensured] = (await ensureGroups(deps, networkId, [group], failed)).values();
  if (!ensured) throw failed.get(group.name) ?? new HrError(`Security group ${group.name} could not be ensured`);
  return ensured;
}
