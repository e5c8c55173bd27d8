/**
 * One account's class in an access review, with its evidence: pure, from what Wickr says of the account and what
 * the HR records say of the person — the auditor's question "should this account exist, as it is?".
 */
import type { GlobMatcher } from '../glob.js';

/** Every class, in the order a report lists them: the findings first, `ok` last. */
export const reviewClasses = [
  'leaver-active',
  'orphan',
  'wrong-group',
  'inactive',
  'invite-expired',
  'pending-invite',
  'suspended',
  'admin',
  'exempt',
  'ok',
] as const;
export type ReviewClass = (typeof reviewClasses)[number];

/** A Wickr account as ListUsers (and, for the last sign-in, GetUser) describes it. */
export interface ReviewedAccount {
  readonly userId: string;
  readonly username: string;
  /** 1 pending, 2 active. */
  readonly status?: number | undefined;
  readonly suspended?: boolean | undefined;
  readonly isAdmin?: boolean | undefined;
  readonly isInviteExpired?: boolean | undefined;
  readonly securityGroups: readonly string[];
  /** Epoch seconds (GetUser), when asked for. */
  readonly lastLogin?: number | undefined;
  readonly lastActivity?: number | undefined;
}

/** What the HR records say of an account this deployment provisioned. */
export interface ProvisionedAccount {
  readonly employeeId: string;
  /** HR says the person left. */
  readonly left: boolean;
  /** The group this deployment placed the person in, once reconciled to HR's latest facts. */
  readonly groupId?: string | undefined;
  /** HR's latest facts are not applied yet: the group is about to change, not wrong. */
  readonly pending: boolean;
}

/** What a review weighs beside the account. */
export interface ReviewRules {
  readonly nowMs: number;
  /** `accessReview.inactiveDays`; absent: sign-ins are not asked for and nobody is `inactive`. */
  readonly inactiveDays?: number | undefined;
  /** `accessReview.exempt`, compiled. */
  readonly exempt: readonly GlobMatcher[];
}

/** One class and why: ids, dates and counts only. */
export interface ReviewVerdict {
  readonly class: ReviewClass;
  readonly evidence: string;
}

const day = 86_400_000;
const dateOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** How the account stands on its invitation: accepted, pending (a way in), or lapsed. */
export const invitationOf = (account: ReviewedAccount) =>
  account.status !== 1 ? 'accepted' : account.isInviteExpired ? 'expired' : 'pending';

/**
 * The account's one class, the most pressing first: an admin is always listed as such; an account nobody here
 * provisioned is an orphan unless exempt, whatever its invitation; a leaver with any way in — active, or an invitation
 * still open — is `leaver-active`, whatever else; an employee's invitation is pending or lapsed; a suspension HR does
 * not explain; a group other than HR's; no sign-in for `inactiveDays`; else `ok`.
 */
export function classifyAccount(
  account: ReviewedAccount,
  provisioned: ProvisionedAccount | undefined,
  rules: ReviewRules,
): ReviewVerdict {
  const who = provisioned
    ? `employee ${provisioned.employeeId}${provisioned.left ? ', who left' : ''}`
    : 'not provisioned by this deployment';
  if (account.isAdmin) return { class: 'admin', evidence: `Wickr administrator; ${who}` };
  const invitation = invitationOf(account);
  if (!provisioned) {
    const pattern = rules.exempt.findIndex((matches) => matches(account.username));
    const invited = invitation === 'accepted' ? '' : `; invitation ${invitation}`;
    return pattern >= 0
      ? { class: 'exempt', evidence: `matches accessReview.exempt[${pattern}]${invited}` }
      : { class: 'orphan', evidence: `not provisioned by this deployment and not exempt${invited}` };
  }
  if (provisioned.left && !account.suspended && invitation !== 'expired') {
    // An invitation still open is a way in as much as an active account is.
    const way = invitation === 'pending' ? 'an invitation is still open' : 'the account is active';
    return { class: 'leaver-active', evidence: `${who}; ${way}` };
  }
  if (provisioned.left)
    return { class: 'ok', evidence: `${who}; ${account.suspended ? 'suspended' : 'invitation expired'}` };
  if (invitation !== 'accepted') {
    return invitation === 'expired'
      ? { class: 'invite-expired', evidence: `invitation expired, never accepted; ${who}` }
      : { class: 'pending-invite', evidence: `invitation not accepted yet; ${who}` };
  }
  if (account.suspended) return { class: 'suspended', evidence: `${who} is employed; the account is suspended` };
  if (provisioned.groupId && !provisioned.pending && !account.securityGroups.includes(provisioned.groupId)) {
    return {
      class: 'wrong-group',
      evidence: `in ${account.securityGroups.join(';') || 'no group'}; HR places ${who} in ${provisioned.groupId}`,
    };
  }
  if (rules.inactiveDays !== undefined) {
    const last = account.lastLogin ?? account.lastActivity;
    if (last === undefined) return { class: 'inactive', evidence: `no sign-in recorded; ${who}` };
    const idle = Math.floor((rules.nowMs - last * 1000) / day);
    if (idle >= rules.inactiveDays) {
      return { class: 'inactive', evidence: `last sign-in ${dateOf(last)} (${idle} days); ${who}` };
    }
  }
  return { class: 'ok', evidence: who };
}
