/** Department groups as HR knows them (security groups carry no tags), and the port that keeps the mappings. */

/** Where a department's group stands: being created (intent recorded), created (template pending), or ready. */
export interface GroupMapping {
  readonly name: string;
  readonly state: 'creating' | 'created' | 'ready';
  readonly clientToken: string;
  /** How many times the group was made again after an admin deleted it. */
  readonly generation?: number | undefined;
  readonly groupId?: string | undefined;
  readonly adopted?: boolean | undefined;
  /** Who is making the group (the intent is the lock), and until when; others wait for `ready`, then take over. */
  readonly owner?: string | undefined;
  readonly ownerUntil?: number | undefined;
}

/**
 * Where group mappings are kept: normalized name → group, with the creation intent written first (it is the lock
 * concurrent reconciles wait on), and the cap on groups created per network.
 */
export interface GroupMappings {
  countCreatedGroups(networkId: string): Promise<number>;
  /** Takes one of the `cap` creations the network allows; false when none is left. */
  reserveGroupCreation(networkId: string, cap: number): Promise<boolean>;
  getGroup(networkId: string, name: string): Promise<GroupMapping | undefined>;
  /** Records a mapping only if none exists; answers the one that stands either way. */
  putGroupIfAbsent(networkId: string, mapping: GroupMapping): Promise<GroupMapping>;
  advanceGroup(networkId: string, mapping: GroupMapping): Promise<void>;
  replaceGroup(networkId: string, seen: GroupMapping, next: GroupMapping): Promise<boolean>;
}
