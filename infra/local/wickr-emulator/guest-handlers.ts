/**
 * Guest users as the API shows them: the people of other networks seen on this one (`ListGuestUsers`, the last
 * 90 days), those blocked (`ListBlockedGuestUsers`), a block or unblock by username hash (`UpdateGuestUser`), and
 * the count per billing period (`GetGuestUserHistoryCount`).
 */
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import { EmulatorError, type GuestState } from './emulator-state.js';
import { type Handler, page } from './paging.js';

const guestOf = (guests: Map<string, GuestState>, usernameHash: string) => {
  const guest = guests.get(usernameHash);
  if (!guest) throw new EmulatorError(404, 'ResourceNotFoundError', 'Guest user not found');
  return guest;
};

export const guestHandlers: Readonly<
  Record<
    Extract<OperationName, 'ListGuestUsers' | 'ListBlockedGuestUsers' | 'UpdateGuestUser' | 'GetGuestUserHistoryCount'>,
    Handler
  >
> = {
  ListGuestUsers: (s, input) => {
    const seen = [...s.network(input.networkId).guests.values()].filter(
      (g) =>
        (!input.username || g.username === input.username) &&
        (!input.billingPeriod || g.billingPeriod === input.billingPeriod),
    );
    const rows = seen.map(({ username, usernameHash, billingPeriod }) => ({ username, usernameHash, billingPeriod }));
    const { items, nextToken } = page(rows, input, 'username');
    return { guestlist: items, ...(nextToken ? { nextToken } : {}) };
  },
  ListBlockedGuestUsers: (s, input) => {
    const blocked = [...s.network(input.networkId).guests.values()].filter(
      (g) =>
        g.blocked &&
        (!input.username || g.username === input.username) &&
        (!input.admin || g.blockedBy === input.admin),
    );
    const rows = blocked.map((g) => ({
      username: g.username,
      usernameHash: g.usernameHash,
      admin: g.blockedBy ?? '',
      modified: String(g.modified),
    }));
    const { items, nextToken } = page(rows, input, 'username');
    return { blocklist: items, ...(nextToken ? { nextToken } : {}) };
  },
  UpdateGuestUser: (s, { networkId, usernameHash, block }) => {
    const guest = guestOf(s.network(networkId).guests, usernameHash);
    guest.blocked = block;
    // The admin is the API's caller; the emulator answers for one.
    guest.blockedBy = block ? 'admin' : undefined;
    guest.modified = s.nowSeconds();
    return { message: block ? 'Guest user blocked' : 'Guest user unblocked' };
  },
  GetGuestUserHistoryCount: (s, { networkId }) => {
    const byMonth = new Map<string, number>();
    for (const g of s.network(networkId).guests.values()) {
      const month = g.billingPeriod.replace('-', '_');
      byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
    }
    return { history: [...byMonth].sort().map(([month, count]) => ({ month, count: String(count) })) };
  },
};
