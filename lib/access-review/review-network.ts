/**
 * One run of an access review over one network, in segments: each reads pages of ListUsers (and, with
 * `inactiveDays`, each user's GetUser) until its invocation's deadline, classifies every account and keeps the rows
 * as one part in the reports bucket, then hands the run over; the last one joins the parts into the report.
 */
import { mapSettled } from '../concurrency.js';
import type { ReviewRun } from '../events/review-events.js';
import { AggregateFailure } from '../failure.js';
import { compileGlob } from '../glob.js';
import { announceHold } from '../holds/announce-hold.js';
import { AccessReviewError } from './errors.js';
import type { ReviewDeps } from './ports.js';
import { classifyAccount, invitationOf, type ReviewedAccount, type ReviewRules } from './review-class.js';
import { type BotRow, guestsAndBots } from './review-guests-bots.js';
import { countsOf, csvOf, type ReviewReport, type ReviewRow, reportKeys } from './review-report.js';

/** ListUsers' documented largest page: the fewest pages. */
const pageSize = 100;

/** How a segment ended: handed over to the next, or the run completed with its report. */
export type SegmentOutcome =
  | { readonly status: 'handed-over'; readonly next: ReviewRun }
  | {
      readonly status: 'completed';
      readonly report: Omit<ReviewReport, 'rows'>;
      readonly keys: { csv: string; json: string };
      readonly holdId?: string | undefined;
    };

const iso = (seconds: number | undefined) =>
  seconds === undefined ? '' : new Date(seconds * 1000).toISOString().slice(0, 10);

/** A run of a network begun at `at`: its id says which network and minute (and, for a request, which request). */
export function newRun(networkId: string, at: string, requestId?: string): ReviewRun {
  const stamp = at.slice(0, 16).replace(/[-:]/g, '').toLowerCase();
  const suffix = requestId
    ? `-${requestId
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .slice(0, 12)}`
    : '';
  return { runId: `${networkId}-${stamp}z${suffix}`.replace(/-$/, ''), networkId, startedAt: at, part: 0 };
}

/** Reads and classifies as many pages as the deadline allows, from the run's cursor. */
async function readSegment(deps: ReviewDeps, run: ReviewRun) {
  const provisioned = await deps.accounts.ofNetwork(run.networkId);
  const rules: ReviewRules = {
    nowMs: Date.parse(run.startedAt),
    inactiveDays: deps.rules.inactiveDays,
    exempt: deps.rules.exempt.map(compileGlob),
  };
  const rows: ReviewRow[] = [];
  let cursor = run.cursor;
  let pages = 0;
  do {
    const page = await deps.wickr.listUsers({
      networkId: run.networkId,
      maxResults: pageSize,
      ...(cursor ? { nextToken: cursor } : {}),
    });
    pages++;
    const users = (page.users ?? []).filter((u): u is typeof u & { userId: string } => u.userId !== undefined);
    const signIns =
      deps.rules.inactiveDays === undefined
        ? undefined
        : await mapSettled(users, deps.requestsInFlight, (u) =>
            deps.wickr.getUser({ networkId: run.networkId, userId: u.userId }),
          );
    const failed = (signIns ?? []).flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    if (failed.length > 0) {
      throw new AggregateFailure(`${failed.length} of ${users.length} users could not be read`, failed, 'REVIEW_READ');
    }
    users.forEach((u, i) => {
      const detail = signIns?.[i]?.status === 'fulfilled' ? signIns[i].value : undefined;
      const account: ReviewedAccount = {
        userId: u.userId,
        username: u.username ?? '',
        status: detail?.status ?? u.status,
        suspended: detail?.suspended ?? u.suspended,
        isAdmin: detail?.isAdmin ?? u.isAdmin,
        isInviteExpired: u.isInviteExpired,
        securityGroups: u.securityGroups ?? detail?.securityGroupIds ?? [],
        lastLogin: detail?.lastLogin,
        lastActivity: detail?.lastActivity,
      };
      const record = provisioned.get(u.userId);
      const verdict = classifyAccount(account, record, rules);
      rows.push({
        userId: account.userId,
        username: account.username,
        ...verdict,
        state: account.suspended ? 'suspended' : 'active',
        invitation: invitationOf(account),
        admin: account.isAdmin === true,
        groups: account.securityGroups.join(';'),
        employeeId: record?.employeeId ?? '',
        lastSignIn: iso(account.lastLogin ?? account.lastActivity),
      });
    });
    cursor = page.nextToken || undefined;
  } while (cursor && (deps.stopAtMs === undefined || deps.nowMs() < deps.stopAtMs));
  return { rows, cursor, pages };
}

/**
 * One segment of a run: reads from its cursor until the deadline, keeps the rows as the run's next part, and either
 * hands the run over or completes it. Once per run and part, so a retried or duplicated segment reads nothing twice.
 */
export async function reviewSegment(deps: ReviewDeps, run: ReviewRun): Promise<SegmentOutcome> {
  if (!deps.networkIds.includes(run.networkId)) {
    throw new AccessReviewError(`Network ${run.networkId} is not in the policy`, {
      retryable: false,
      code: 'NETWORK_NOT_MANAGED',
    });
  }
  const keys = reportKeys(run.networkId, run.startedAt, run.runId);
  const segment = await deps.once({ step: 'access-review', runId: run.runId, part: String(run.part) }, async () => {
    const { rows, cursor, pages } = await readSegment(deps, run);
    await deps.reports.putText(keys.part(run.part), JSON.stringify(rows), 'application/json');
    deps.logger.info('Access review segment', { runId: run.runId, part: run.part, pages, accounts: rows.length });
    return { cursor: cursor ?? '', accounts: rows.length, pages };
  });
  if (segment.cursor) {
    const next: ReviewRun = { ...run, part: run.part + 1, cursor: segment.cursor };
    await deps.handover.continueRun(next);
    return { status: 'handed-over', next };
  }
  return completeRun(deps, run);
}

/** Joins a run's parts (each account once), writes the CSV and the JSON, proposes its actions, and says so. */
async function completeRun(deps: ReviewDeps, run: ReviewRun): Promise<SegmentOutcome> {
  const keys = reportKeys(run.networkId, run.startedAt, run.runId);
  const done = await deps.once({ step: 'access-review-complete', runId: run.runId }, async () => {
    const seen = new Set<string>();
    const rows: ReviewRow[] = [];
    for (let part = 0; part <= run.part; part++) {
      for (const row of JSON.parse(await deps.reports.getText(keys.part(part))) as ReviewRow[]) {
        // Offset pages may repeat an account when the network changed between them: each is reported once.
        if (!seen.has(row.userId)) rows.push(row);
        seen.add(row.userId);
      }
    }
    const { guests, bots } = await guestsAndBots(deps, run.networkId);
    const report: ReviewReport = {
      runId: run.runId,
      networkId: run.networkId,
      startedAt: run.startedAt,
      completedAt: new Date(deps.nowMs()).toISOString(),
      ...(deps.rules.inactiveDays !== undefined ? { inactiveDays: deps.rules.inactiveDays } : {}),
      counts: countsOf(rows),
      rows,
      guests,
      bots,
    };
    await deps.reports.putText(keys.json, JSON.stringify(report), 'application/json');
    await deps.reports.putText(keys.csv, csvOf(rows), 'text/csv');
    const holdId = await proposeActions(deps, run, rows, bots);
    const { rows: _rows, guests: _guests, bots: _bots, ...summary } = report;
    const { counts } = report;
    deps.metrics?.add('ReviewAccounts', rows.length);
    deps.metrics?.add('ReviewLeaversActive', counts['leaver-active']);
    deps.metrics?.add('ReviewOrphans', counts.orphan);
    deps.metrics?.add('ReviewWrongGroup', counts['wrong-group']);
    deps.metrics?.add('ReviewInactive', counts.inactive);
    deps.metrics?.add('ReviewInvitesExpired', counts['invite-expired']);
    deps.metrics?.add('ReviewAdmins', counts.admin);
    await deps.publisher.publish('Wickr Access Review Completed', {
      ...summary,
      accounts: rows.length,
      guests: { seen: guests.length, blocked: guests.filter((g) => g.blocked).length },
      bots: Object.fromEntries(
        ['bot-ok', 'bot-inactive', 'bot-suspended'].map((c) => [c, bots.filter((b) => b.class === c).length]),
      ),
      parts: run.part + 1,
      objects: { csv: keys.csv, json: keys.json },
      ...(holdId ? { holdId } : {}),
    });
    deps.logger.info('Access review completed', { runId: run.runId, accounts: rows.length, holdId });
    return { summary, holdId: holdId ?? '' };
  });
  return {
    status: 'completed',
    report: done.summary as Omit<ReviewReport, 'rows'>,
    keys: { csv: keys.csv, json: keys.json },
    ...(done.holdId ? { holdId: done.holdId as string } : {}),
  };
}

/** The accounts `accessReview.actions` proposes to suspend, as one hold for an operator; never applied here. */
async function proposeActions(deps: ReviewDeps, run: ReviewRun, rows: readonly ReviewRow[], bots: readonly BotRow[]) {
  const actions = deps.rules.actions as readonly string[];
  const people = rows.filter((r) => actions.includes(r.class) && r.state === 'active' && !r.admin);
  const idleBots = actions.includes('bot-inactive') ? bots.filter((b) => b.class === 'bot-inactive') : [];
  const proposed = [
    ...people.map((r) => ({ subject: r.userId, userId: r.userId, version: r.class, action: 'suspend' })),
    ...idleBots.map((b) => ({ subject: `bot:${b.botId}`, version: b.class, action: 'suspend-bot' })),
  ];
  if (proposed.length === 0 || !deps.holds) {
    if (proposed.length > 0) deps.logger.warn('Review actions reported only: no holds', { runId: run.runId });
    return undefined;
  }
  const origin = {
    capability: 'review' as const,
    networkId: run.networkId,
    safeguard: 'accessReview.actions',
    figures: { proposed: proposed.length, reviewed: rows.length + bots.length },
  };
  const now = deps.nowMs();
  const held = await deps.holds.hold({ ...origin, stem: `review-${run.runId}` }, proposed, now, deps.holdMs);
  if (held.created) {
    await announceHold(deps, origin, held.holdId, new Date(now + deps.holdMs).toISOString());
  }
  return held.holdId;
}
