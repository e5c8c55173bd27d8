/**
 * Where a lockdown's `guests: block-all` and an account containment meet on one guest: whichever lets go first hands
 * the block to the other, so the guest is unblocked only when neither holds them. At the lift, a guest the lockdown
 * blocked whose containment record has an open case stays blocked: the block becomes the containment's
 * (`suspendedByUs`), so its release unblocks the guest. A containment that has not applied yet leaves the guest
 * blocked too (it then finds them blocked): blocked a while too long, never unblocked too soon.
 */
import type { AccountRecords } from '../containment/ports.js';
import type { IncidentState } from '../incident/ports.js';
import type { Playbook } from '../policy-file/incident-section.js';
import type { Severity } from '../policy-file/vocabulary.js';

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

/**
 * The other way: a containment releasing a guest while an active incident's playbook blocks every guest of the
 * network records the guest as the lockdown's (its entry), so the lift unblocks them and the release does not.
 */
export function guestBlockToLockdown(
  state: Pick<IncidentState, 'readDesired' | 'putGuestLock'>,
  playbooks: Readonly<Record<Severity, Pick<Playbook, 'guests'>>>,
) {
  return async (networkId: string, usernameHash: string): Promise<boolean> => {
    const { active } = await state.readDesired(networkId);
    if (!active.some((incident) => playbooks[incident.severity].guests === 'block-all')) return false;
    await state.putGuestLock(networkId, usernameHash);
    return true;
  };
}
