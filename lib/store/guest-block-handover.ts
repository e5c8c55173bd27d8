/**
 * Where a lockdown's `guests: block-all` and an account containment meet on one guest. At the lift, a guest the
 * lockdown blocked whose containment record has an open case stays blocked: the block becomes the containment's
 * (`suspendedByUs`), so its release — not the lift — unblocks the guest. A containment that has not applied yet
 * leaves the guest blocked too (it then finds them blocked): blocked a while too long, never unblocked too soon.
 */
import type { AccountRecords } from '../containment/ports.js';

const attempts = 3;

/** The lockdown's guest handover, over the containment's account records. */
export function guestBlockHandover(accounts: Pick<AccountRecords, 'get' | 'putApplied'>) {
  return async (networkId: string, usernameHash: string): Promise<boolean> => {
    const userId = `guest:${usernameHash}`;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const account = await accounts.get(networkId, userId);
      if (!account || !Object.values(account.cases).some((c) => c.open)) return false;
      if (!account.applied.containedSince || account.applied.suspendedByUs) return true;
      const applied = { ...account.applied, suspendedByUs: true };
      if (await accounts.putApplied(networkId, userId, applied, account.revision)) return true;
    }
    // Written under us each time: keep the guest blocked, the safer side.
    return true;
  };
}
