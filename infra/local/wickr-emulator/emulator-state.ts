import type { ConsentPopupConfig } from '../../../lib/wickr/request-schemas.js';
import { EmulatorSeed, type ParsedSeed, type SeedNetwork } from './seed.js';

/** An error the emulated service answers with. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly reasons?: readonly { field: string; reason: string }[],
  ) {
    super(message);
  }
}

export interface GroupState {
  id: string;
  name: string;
  isDefault: boolean;
  activeDirectoryGuid?: string | undefined;
  modified: number;
  securityGroupSettings: Record<string, unknown>;
}

export interface UserState {
  userId: string;
  username: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  securityGroupIds: string[];
  suspended: boolean;
  status: number;
  isAdmin: boolean;
  isInviteExpired: boolean;
  /** Epoch seconds. */
  lastLogin?: number | undefined;
  lastActivity?: number | undefined;
  modified: number;
  devices: DeviceState[];
}

/** A device a user signed in on. */
export interface DeviceState {
  appId: string;
  type: string;
  created: string;
  lastLogin?: string | undefined;
  statusText: 'Active' | 'Reset';
  suspend: boolean;
}

/** A person of another network seen on this one (by the hash of their username), and whether they are blocked. */
export interface GuestState {
  usernameHash: string;
  username: string;
  /** The month they were last seen, `YYYY-MM`. */
  billingPeriod: string;
  blocked: boolean;
  blockedBy?: string | undefined;
  modified: number;
}

/** An account with a static password: a bot. */
export interface BotState {
  botId: string;
  username: string;
  displayName: string;
  groupId: string;
  /** 1 pending, 2 active. */
  status: number;
  suspended: boolean;
  hasChallenge: boolean;
  lastLogin?: string | undefined;
}

export interface NetworkState {
  networkId: string;
  networkName: string;
  accessLevel: string;
  awsAccountId: string;
  region: string;
  settings: SeedNetwork['settings'];
  consentPopup: ConsentPopupConfig | undefined;
  groups: Map<string, GroupState>;
  users: Map<string, UserState>;
  guests: Map<string, GuestState>;
  bots: Map<string, BotState>;
  dataRetentionBot: SeedNetwork['dataRetentionBot'];
  oidc: SeedNetwork['oidc'];
  encryptionKeyArn: string | undefined;
}

/** Everything the emulated service holds, in memory. */
export class EmulatorState {
  readonly networks = new Map<string, NetworkState>();
  #nextGroup = 1;
  #nextUser = 5001;

  constructor(
    seed: EmulatorSeed,
    readonly nowSeconds: () => number,
  ) {
    const parsed: ParsedSeed = EmulatorSeed.parse(seed);
    for (const n of parsed.networks) {
      const at = nowSeconds();
      this.networks.set(n.networkId, {
        networkId: n.networkId,
        networkName: n.networkName,
        accessLevel: n.accessLevel,
        awsAccountId: n.awsAccountId,
        region: n.region,
        settings: structuredClone(n.settings),
        consentPopup: n.consentPopup && { ...n.consentPopup },
        groups: new Map(
          n.securityGroups.map((g) => [
            g.id,
            {
              id: g.id,
              name: g.name,
              isDefault: g.isDefault,
              activeDirectoryGuid: g.activeDirectoryGuid,
              modified: g.modified ?? at,
              securityGroupSettings: structuredClone(g.securityGroupSettings),
            },
          ]),
        ),
        users: new Map(
          n.users.map((u) => [
            u.userId,
            {
              ...u,
              securityGroupIds: [...u.securityGroupIds],
              devices: u.devices.map((d) => ({ ...d })),
              modified: at,
            },
          ]),
        ),
        guests: new Map(n.guests.map((g) => [g.usernameHash, { ...g, modified: at }])),
        bots: new Map(n.bots.map((b) => [b.botId, { ...b }])),
        dataRetentionBot: n.dataRetentionBot && { ...n.dataRetentionBot },
        oidc: n.oidc && { ...n.oidc },
        encryptionKeyArn: n.encryptionKeyArn,
      });
    }
  }

  network(networkId: string): NetworkState {
    const network = this.networks.get(networkId);
    if (!network) throw new EmulatorError(404, 'ResourceNotFoundError', 'Network not found');
    return network;
  }

  group(network: NetworkState, groupId: string): GroupState {
    const group = network.groups.get(groupId);
    if (!group) throw new EmulatorError(404, 'ResourceNotFoundError', 'Security group not found');
    return group;
  }

  user(network: NetworkState, userId: string): UserState {
    const user = network.users.get(userId);
    if (!user) throw new EmulatorError(404, 'ResourceNotFoundError', 'User not found');
    return user;
  }

  newGroupId(network: NetworkState): string {
    let id: string;
    do id = `sg${String(this.#nextGroup++).padStart(6, '0')}`;
    while (network.groups.has(id));
    return id;
  }

  newUserId(network: NetworkState): string {
    let id: string;
    do id = String(this.#nextUser++);
    while (network.users.has(id));
    return id;
  }

  /** The state as a seed, so it can be read, saved and loaded again. */
  toSeed(): ParsedSeed {
    return {
      networks: [...this.networks.values()].map((n) => ({
        networkId: n.networkId,
        networkName: n.networkName,
        accessLevel: n.accessLevel as 'STANDARD' | 'PREMIUM',
        awsAccountId: n.awsAccountId,
        region: n.region,
        settings: structuredClone(n.settings),
        ...(n.consentPopup ? { consentPopup: { ...n.consentPopup } } : {}),
        securityGroups: [...n.groups.values()].map((g) => structuredClone(g)),
        users: [...n.users.values()].map(({ modified: _m, ...u }) => structuredClone(u)),
        guests: [...n.guests.values()].map(({ modified: _m, ...g }) => ({ ...g })),
        bots: [...n.bots.values()].map((b) => ({ ...b })),
        ...(n.dataRetentionBot ? { dataRetentionBot: { ...n.dataRetentionBot } } : {}),
        ...(n.oidc ? { oidc: { ...n.oidc } } : {}),
        ...(n.encryptionKeyArn ? { encryptionKeyArn: n.encryptionKeyArn } : {}),
      })),
    };
  }
}
