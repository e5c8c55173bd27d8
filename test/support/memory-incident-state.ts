import type {
  ActiveIncident,
  FieldLock,
  GroupLock,
  IncidentChannel,
  NetworkDesiredState,
  NetworkLocks,
  PopupConfig,
  ReachedTarget,
} from '../../lib/incident/incident-records.js';
import type { IncidentState } from '../../lib/incident/ports.js';
import { IncidentStateStoreError, maxLeaseDefaultMs } from '../../lib/store/incident-state-store.js';

type Incident =
  | { state: 'active'; channel: IncidentChannel; incident: ActiveIncident }
  | { state: 'resolved'; channel: IncidentChannel; resolvedAt: string; expiration: number };

/** A network's `INCIDENTS` item, as the DynamoDB store keeps it. */
interface DesiredItem {
  version?: number;
  leaseOwner?: string;
  leaseExpires?: number;
  reached?: ReachedTarget;
  reconciledVersion?: number;
  reconciledAt?: string;
  watchAt?: number;
  sweepAt?: number;
}

interface Network {
  desired?: DesiredItem;
  incidents: Map<string, Incident>;
  groupLocks: Map<string, GroupLock>;
  popupLock?: FieldLock<PopupConfig>;
  guestLocks: Set<string>;
}

const rank = (severity: string) => Number(severity.replace(/\D/g, ''));
// DynamoDB orders sort keys by their UTF-8 bytes; and what it returns is a copy, never the stored object.
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const copy = <T>(value: T): T => structuredClone(value);

/**
 * The incident state in memory, for use-case tests that do not test storage: the same contract as the DynamoDB
 * store — every conditional write's condition, what a refused one answers, the order of reads — which
 * `test/lib/store/incident-state-contract.test.ts` checks against the real store on dynalite (and DynamoDB Local
 * in CI). Not safe across processes, and no TTL: a tombstone stays until its network is forgotten.
 */
export class MemoryIncidentState implements IncidentState {
  private readonly networks = new Map<string, Network>();

  constructor(private readonly maxLeaseMs = maxLeaseDefaultMs) {}

  private network(networkId: string): Network {
    let network = this.networks.get(networkId);
    if (!network) {
      network = { incidents: new Map(), groupLocks: new Map(), guestLocks: new Set() };
      this.networks.set(networkId, network);
    }
    return network;
  }

  /** Forgets a network's state, as a fresh network. */
  forget(networkId: string): void {
    this.networks.delete(networkId);
  }

  private bump(networkId: string) {
    const network = this.network(networkId);
    network.desired = { ...network.desired, version: (network.desired?.version ?? 0) + 1 };
  }

  async declare(networkId: string, incident: ActiveIncident, channel: IncidentChannel, nowMs: number) {
    const { incidents } = this.network(networkId);
    const item = incidents.get(incident.incidentId);
    const at = incident.declaredAt;
    const admitted =
      !item ||
      (item.channel === channel &&
        item.state === 'active' &&
        (item.incident.declaredAt < at ||
          (item.incident.declaredAt === at && rank(item.incident.severity) >= rank(incident.severity)))) ||
      (item.channel === channel &&
        item.state === 'resolved' &&
        (item.resolvedAt < at || item.expiration < Math.floor(nowMs / 1000))) ||
      (item.channel !== channel && item.state === 'resolved');
    if (!admitted) {
      if (item.state !== 'active') return { result: 'already-resolved' as const, resolvedAt: item.resolvedAt };
      return { result: item.channel === channel ? ('stale' as const) : ('other-channel' as const) };
    }
    incidents.set(incident.incidentId, { state: 'active', channel, incident: copy(incident) });
    this.bump(networkId);
    return { result: 'recorded' as const };
  }

  async withdraw(networkId: string, incidentId: string, channel: IncidentChannel, at: string, expiresAtMs: number) {
    const { incidents } = this.network(networkId);
    const item = incidents.get(incidentId);
    if (!item || item.channel !== channel || item.state !== 'active' || !(item.incident.declaredAt < at)) return false;
    incidents.set(incidentId, {
      state: 'resolved',
      channel,
      resolvedAt: at,
      expiration: Math.floor(expiresAtMs / 1000),
    });
    this.bump(networkId);
    return true;
  }

  async activeOn(networkIds: readonly string[], incidentId: string, channel: IncidentChannel) {
    return networkIds.filter((networkId) => {
      const item = this.networks.get(networkId)?.incidents.get(incidentId);
      return item?.state === 'active' && item.channel === channel;
    });
  }

  async resolve(
    networkId: string,
    incidentId: string,
    resolution: { resolvedAt: string; channel: IncidentChannel; expiresAtMs: number; override?: boolean | undefined },
  ) {
    const { incidents } = this.network(networkId);
    const item = incidents.get(incidentId);
    const at = resolution.resolvedAt;
    const admitted =
      !item ||
      (item.state === 'resolved' && item.resolvedAt <= at) ||
      (item.state === 'active' &&
        (resolution.override || item.channel === resolution.channel) &&
        item.incident.declaredAt <= at);
    if (!admitted) {
      const otherChannel = item.state === 'active' && item.channel !== resolution.channel && !resolution.override;
      return otherChannel ? ('other-channel' as const) : ('stale' as const);
    }
    const expiration = Math.floor(resolution.expiresAtMs / 1000);
    incidents.set(incidentId, { state: 'resolved', channel: resolution.channel, resolvedAt: at, expiration });
    this.bump(networkId);
    return 'recorded' as const;
  }

  async readDesired(networkId: string): Promise<NetworkDesiredState> {
    const network = this.networks.get(networkId);
    const active = [...(network?.incidents ?? [])]
      .sort(([a], [b]) => byBytes(a, b))
      .flatMap(([, item]) => (item.state === 'active' ? [copy(item.incident)] : []));
    return { version: network?.desired?.version ?? 0, active };
  }

  async acquireLease(networkId: string, owner: string, nowMs: number, ttlMs: number) {
    const network = this.network(networkId);
    const before = network.desired ?? {};
    const expires = before.leaseExpires;
    const free =
      expires === undefined || expires < nowMs || before.leaseOwner === owner || expires > nowMs + this.maxLeaseMs;
    if (!free) return undefined;
    const { reached, ...rest } = before;
    network.desired = { ...rest, leaseOwner: owner, leaseExpires: nowMs + Math.min(ttlMs, this.maxLeaseMs) };
    if ((expires ?? 0) > nowMs + this.maxLeaseMs) return { reached: undefined, tookInvalid: true };
    return { reached: reached && copy(reached) };
  }

  async releaseLease(networkId: string, owner: string, version: number, atMs?: number, reached?: ReachedTarget) {
    const network = this.network(networkId);
    const item = network.desired;
    const sameVersion = item?.version === version || (item?.version === undefined && version === 0);
    if (!item || item.leaseOwner !== owner || !sameVersion) {
      if (item?.leaseOwner !== owner) throw new IncidentStateStoreError(`Lost the lease of network ${networkId}`);
      return false;
    }
    const { leaseOwner: _owner, leaseExpires: _expires, ...rest } = item;
    network.desired = {
      ...rest,
      reconciledVersion: version,
      ...(atMs === undefined ? {} : { reconciledAt: new Date(atMs).toISOString() }),
      ...(reached ? { reached: copy(reached) } : {}),
    };
    return true;
  }

  async abandonLease(networkId: string, owner: string) {
    const network = this.network(networkId);
    if (network.desired?.leaseOwner !== owner) return;
    const { leaseOwner: _owner, leaseExpires: _expires, ...rest } = network.desired;
    network.desired = rest;
  }

  async watchLease(networkId: string, nowMs: number) {
    const item = this.networks.get(networkId)?.desired;
    if (item?.leaseExpires === undefined) return undefined;
    if (item.watchAt !== undefined && !(item.watchAt < item.leaseExpires) && !(item.leaseExpires <= nowMs)) {
      return undefined;
    }
    item.watchAt = item.leaseExpires;
    return Math.max(nowMs, item.watchAt);
  }

  async scheduleSweep(networkId: string, nowMs: number, dueAtMs: number) {
    const network = this.network(networkId);
    const item = network.desired ?? {};
    if (item.sweepAt !== undefined && item.sweepAt > nowMs) return false;
    network.desired = { ...item, sweepAt: dueAtMs };
    return true;
  }

  async isBehind(networkId: string) {
    const item = this.networks.get(networkId)?.desired;
    if (!item) return false;
    const version = item.version ?? 0;
    return item.reconciledVersion === undefined ? version > 0 : item.reconciledVersion !== version;
  }

  async readLocks(networkId: string): Promise<NetworkLocks> {
    const network = this.networks.get(networkId);
    const groups = [...(network?.groupLocks ?? [])].sort(([a], [b]) => byBytes(a, b)).map(([, lock]) => copy(lock));
    const guests = [...(network?.guestLocks ?? [])].sort(byBytes);
    return { groups, popup: network?.popupLock && copy(network.popupLock), guests };
  }

  async putGroupLock(networkId: string, groupId: string, fields: GroupLock['fields'], readRevision?: number) {
    const { groupLocks } = this.network(networkId);
    const existing = groupLocks.get(groupId);
    if (readRevision === undefined ? existing !== undefined : existing?.revision !== readRevision) {
      throw new IncidentStateStoreError(`Lock entry of group ${groupId} changed under the lease; not overwriting it`);
    }
    groupLocks.set(groupId, { groupId, fields: copy(fields), revision: (readRevision ?? 0) + 1 });
  }

  async deleteGroupLock(networkId: string, groupId: string) {
    this.network(networkId).groupLocks.delete(groupId);
  }

  async putPopupLock(networkId: string, lock: FieldLock<PopupConfig>, exists: boolean) {
    const network = this.network(networkId);
    if ((network.popupLock !== undefined) !== exists) {
      throw new IncidentStateStoreError('Popup lock entry changed under the lease; not overwriting it');
    }
    network.popupLock = copy(lock);
  }

  async deletePopupLock(networkId: string) {
    this.network(networkId).popupLock = undefined;
  }

  async putGuestLock(networkId: string, usernameHash: string) {
    this.network(networkId).guestLocks.add(usernameHash);
  }

  async deleteGuestLock(networkId: string, usernameHash: string) {
    this.network(networkId).guestLocks.delete(usernameHash);
  }
}
