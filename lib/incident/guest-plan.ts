/**
 * A playbook's `guests: block-all`: every guest seen on the network (ListGuestUsers: the last 90 days) is blocked for
 * the incident's life and unblocked after it — only the guests the lockdown blocked, each recorded before its block,
 * so a guest an admin or a containment blocked stays blocked. Pure: the pass reads and applies.
 */

/** What the guests are now, and what the lockdown recorded. */
export interface GuestReading {
  /** Guests seen in the last 90 days. */
  readonly seen: readonly string[];
  /** Guests blocked now, by anyone. */
  readonly blocked: ReadonlySet<string>;
  /** Guests the lockdown blocked (its entries). */
  readonly locked: readonly string[];
}

/** What to do to the guests, in order: record then block; unblock then drop; drop. */
export interface GuestStep {
  /** Blocked now; those without an entry get one first. */
  readonly block: readonly { readonly usernameHash: string; readonly record: boolean }[];
  /** Unblocked now (still blocked, by us), their entries dropped after. */
  readonly unblock: readonly string[];
  /** Entries to drop with no request: the guest is unblocked already. */
  readonly drop: readonly string[];
  /** Guests the lockdown had blocked that were found unblocked while it holds: blocked again, and reported. */
  readonly foundUnblocked: readonly string[];
}

// A hash is a key of our records: anything else Wickr answers is left alone, not stored.
const usernameHash = /^[A-Za-z0-9+/=_-]{1,256}$/;

/** Plans the guests' step: block every unblocked guest while `blockAll`, otherwise undo exactly what was done. */
export function planGuests(blockAll: boolean, reading: GuestReading): GuestStep {
  const locked = new Set(reading.locked);
  if (blockAll) {
    const open = [...new Set(reading.seen)].filter((h) => usernameHash.test(h) && !reading.blocked.has(h)).sort();
    return {
      block: open.map((h) => ({ usernameHash: h, record: !locked.has(h) })),
      unblock: [],
      drop: [],
      foundUnblocked: open.filter((h) => locked.has(h)),
    };
  }
  const entries = [...locked].sort();
  return {
    block: [],
    unblock: entries.filter((h) => reading.blocked.has(h)),
    drop: entries.filter((h) => !reading.blocked.has(h)),
    foundUnblocked: [],
  };
}
