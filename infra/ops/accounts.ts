/**
 * `ops accounts contain|release|status`: the on-call's own containment of a compromised account — an `Account
 * Compromised` / `Account Cleared` fact put by the operators' entry point as the caller AWS authenticated (checked
 * with the function's own schema first), then what it did, read from the audit trail: contained (steps, devices signed out), released,
 * unchanged, refused or not found. Status lists the accounts with cases, from the state table.
 */
import { openCases } from '../../lib/containment/account-case.js';
import { AccountCaseEvent } from '../../lib/events/account-events.js';
import { fieldIssues } from '../../lib/schema-issues.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import { refuseFieldIssue } from '../command-line.js';
import { auditTrail } from './audit.js';
import { callOperatorEntry } from './operator-entry.js';
import type { OpsTarget } from './ops-target.js';

const answers = new Set([
  'Wickr Account Contained',
  'Wickr Account Released',
  'Wickr Account Unchanged',
  'Wickr Account Unresolved',
  'Wickr Account Containment Refused',
  'Wickr Account Containment Held',
  'Wickr Automation Failed',
]);

/** Puts the fact and waits for its answer; the answer, or undefined at the deadline. */
export async function accountFact(
  target: OpsTarget,
  action: 'contain' | 'release',
  options: { user?: string; case?: string; reason?: string; network?: string; timeoutMs: number },
): Promise<{ eventId: string; answer?: { detailType: string; detail: Record<string, unknown> } | undefined }> {
  const detailType = action === 'contain' ? 'Account Compromised' : 'Account Cleared';
  const detail = {
    caseId: options.case,
    subject: options.user,
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.network ? { networkId: options.network } : {}),
  };
  const parsed = AccountCaseEvent.safeParse({
    version: '0',
    id: 'check',
    'detail-type': detailType,
    source: target.incidentSource,
    account: '000000000000',
    time: new Date().toISOString(),
    region: target.region,
    resources: [],
    detail,
  });
  if (!parsed.success) {
    const options = { caseId: '--case', subject: '--user', reason: '--reason', networkId: '--network' };
    refuseFieldIssue(fieldIssues(parsed.error.issues)[0], options, 'ops');
  }
  // Through the operators' entry point: the on-call's own fact, as the caller AWS authenticated — never a field.
  const { eventId } = await callOperatorEntry<{ eventId: string }>(target, { action: 'put-fact', detailType, detail });
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const found = (await auditTrail(target, { sinceMs: 15 * 60_000 })).find(
      (e) => answers.has(e.detailType) && e.detail.eventId === eventId,
    );
    if (found || Date.now() >= deadline) {
      return { eventId, answer: found && { detailType: found.detailType, detail: found.detail } };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The answer as the on-call reads it; exit 0 only when the account is as asked. */
export function accountAnswerText(action: 'contain' | 'release', result: Awaited<ReturnType<typeof accountFact>>) {
  const a = result.answer;
  if (!a) return { code: 1, text: `event ${result.eventId}: no answer yet (ops audit shows it when it comes)` };
  const d = a.detail;
  switch (a.detailType) {
    case 'Wickr Account Contained':
      return {
        code: 0,
        text: d.bot
          ? `contained bot ${String(d.bot)} on ${String(d.networkId)}: ${(d.steps as string[]).join(', ')}, in ${String(d.timeToContainMs)} ms`
          : d.guest
            ? `contained guest ${String(d.guest)} on ${String(d.networkId)}: ${(d.steps as string[]).join(', ')}, in ${String(d.timeToContainMs)} ms`
            : `contained user ${String(d.userId)} on ${String(d.networkId)}: ${(d.steps as string[]).join(', ')}, ${String(d.devicesSignedOut)} device(s) signed out, in ${String(d.timeToContainMs)} ms`,
      };
    case 'Wickr Account Released':
      return {
        code: 0,
        text: `released ${d.bot ? `bot ${String(d.bot)}` : d.guest ? `guest ${String(d.guest)}` : `user ${String(d.userId)}`} on ${String(d.networkId)}: ${String(d.note)}`,
      };
    case 'Wickr Account Unchanged':
      return {
        code: (action === 'contain') === d.contained ? 0 : 1,
        text: `user ${String(d.userId)} unchanged: ${d.contained ? `contained (open cases: ${(d.openCases as string[]).join(', ')})` : 'not contained'}`,
      };
    case 'Wickr Account Containment Held':
      return { code: 1, text: `held for a person: ${String(d.holdId)} (ops holds show|approve|reject it)` };
    case 'Wickr Account Containment Refused':
      return { code: 1, text: `refused: ${String(d.reason)}` };
    case 'Wickr Account Unresolved':
      return { code: 1, text: `no account: ${String(d.reason)}` };
    default:
      return { code: 1, text: `refused: ${String(d.reason ?? d.errorType)}` };
  }
}

/** The accounts with cases on each network of the policy. */
export async function accountStatus(target: OpsTarget, user?: string) {
  const store = new AccountCaseStore(target.db, target.stateTable);
  const rows = [];
  for (const { networkId } of target.policy.networks) {
    for (const account of await store.list(networkId)) {
      if (user && account.userId !== user && account.employeeId !== user) continue;
      rows.push({
        networkId,
        userId: account.userId,
        employeeId: account.employeeId,
        contained: Boolean(account.applied.containedSince),
        containedSince: account.applied.containedSince,
        suspendedByUs: account.applied.suspendedByUs === true,
        openCases: openCases(account.cases).map((c) => ({ caseId: c.caseId, source: c.source, since: c.time })),
      });
    }
  }
  return rows;
}
