import type { PopupConfig } from '../incident/incident-records.js';
import type { IncidentStateStore } from './incident-state-store.js';

/**
 * Which fields an incident lockdown holds on a network right now, and the values it set, read from its lock
 * entries.
 */
export async function lockedFields(
  store: Pick<IncidentStateStore, 'readLocks'>,
  networkId: string,
): Promise<{ groups: Map<string, Map<string, unknown>>; popup: boolean; popupSet?: PopupConfig | undefined }> {
  const locks = await store.readLocks(networkId);
  return {
    groups: new Map(
      locks.groups.map((l) => [
        l.groupId,
        new Map(Object.entries(l.fields).map(([field, lock]) => [field, lock?.set])),
      ]),
    ),
    popup: locks.popup !== undefined,
    popupSet: locks.popup?.set,
  };
}
