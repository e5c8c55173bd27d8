import type { IncidentStateStore } from './incident-state-store.js';

/** Which fields an incident lockdown holds on a network right now, read from its lock entries. */
export async function lockedFields(
  store: Pick<IncidentStateStore, 'readLocks'>,
  networkId: string,
): Promise<{ groups: Map<string, Set<string>>; popup: boolean }> {
  const locks = await store.readLocks(networkId);
  return {
    groups: new Map(locks.groups.map((l) => [l.groupId, new Set(Object.keys(l.fields))])),
    popup: locks.popup !== undefined,
  };
}
