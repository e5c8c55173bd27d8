import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IncidentState } from '../incident/ports.js';
import { IncidentFactsStore } from './incident-facts-store.js';
import { LockEntriesStore } from './lock-entries-store.js';
import { NetworkLeaseStore } from './network-lease-store.js';

export { IncidentStateStoreError } from './desired-item.js';
export { maxLeaseDefaultMs } from './network-lease-store.js';

/**
 * Incident state in the state table (keys `pk`, `sk`), one store per concern: the facts (`INCIDENT#<id>` items and
 * the version), the network's lease, watch and sweep (its `INCIDENTS` item), and the lock entries (`LOCK#…`).
 */
export class IncidentStateStore implements IncidentState {
  readonly facts: IncidentFactsStore;
  readonly lease: NetworkLeaseStore;
  readonly locks: LockEntriesStore;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.facts = new IncidentFactsStore(db, tableName);
    this.lease = new NetworkLeaseStore(db, tableName);
    this.locks = new LockEntriesStore(db, tableName);
  }

  declare: IncidentState['declare'] = (...a) => this.facts.declare(...a);
  withdraw: IncidentState['withdraw'] = (...a) => this.facts.withdraw(...a);
  activeOn: IncidentState['activeOn'] = (...a) => this.facts.activeOn(...a);
  resolve: IncidentState['resolve'] = (...a) => this.facts.resolve(...a);
  readDesired: IncidentState['readDesired'] = (...a) => this.facts.readDesired(...a);
  readReconcileState: IncidentFactsStore['readReconcileState'] = (...a) => this.facts.readReconcileState(...a);
  acquireLease: IncidentState['acquireLease'] = (...a) => this.lease.acquireLease(...a);
  releaseLease: IncidentState['releaseLease'] = (...a) => this.lease.releaseLease(...a);
  abandonLease: IncidentState['abandonLease'] = (...a) => this.lease.abandonLease(...a);
  watchLease: IncidentState['watchLease'] = (...a) => this.lease.watchLease(...a);
  scheduleSweep: IncidentState['scheduleSweep'] = (...a) => this.lease.scheduleSweep(...a);
  isBehind: IncidentState['isBehind'] = (...a) => this.lease.isBehind(...a);
  readLocks: IncidentState['readLocks'] = (...a) => this.locks.readLocks(...a);
  putGroupLock: IncidentState['putGroupLock'] = (...a) => this.locks.putGroupLock(...a);
  deleteGroupLock: IncidentState['deleteGroupLock'] = (...a) => this.locks.deleteGroupLock(...a);
  putPopupLock: IncidentState['putPopupLock'] = (...a) => this.locks.putPopupLock(...a);
  deletePopupLock: IncidentState['deletePopupLock'] = (...a) => this.locks.deletePopupLock(...a);
  putGuestLock: IncidentState['putGuestLock'] = (...a) => this.locks.putGuestLock(...a);
  deleteGuestLock: IncidentState['deleteGuestLock'] = (...a) => this.locks.deleteGuestLock(...a);
}
