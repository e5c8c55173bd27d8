/**
 * `ops access-review`: runs an access review now — `Wickr Access Review Requested` on the bus from the operators'
 * source (a request carries no authority: the review only reads, and its proposals wait in a hold) — waits for each
 * network's `Wickr Access Review Completed` in the audit trail and reads its report from the reports bucket.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { reviewClasses } from '../../lib/access-review/review-class.js';
import type { ReviewReport } from '../../lib/access-review/review-report.js';
import { operatorsSource } from '../../lib/holds/hold.js';
import { reportObjects } from '../../lib/runtime/report-objects.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { localCredentials } from '../local/local-endpoints.js';
import { auditTrail } from './audit.js';
import type { OpsTarget } from './ops-target.js';
import { stackBucket } from './stack-bucket.js';

/** A run as the cockpit reports it: the outcome event's object keys and the report read from them. */
export interface ReviewResult {
  readonly eventId: string;
  readonly expected: number;
  readonly reports: readonly (ReviewReport & { readonly objects: { csv: string; json: string }; holdId?: string })[];
}

/** Requests a review (one network, or all) and waits up to `timeoutMs` for every report. */
export async function runAccessReview(
  target: OpsTarget,
  options: { network?: string | undefined; requestedBy?: string | undefined; stage: string; timeoutMs: number },
): Promise<ReviewResult & { csvOf(report: { objects: { csv: string } }): Promise<string> }> {
  const answer = await target.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: target.busName,
          Source: operatorsSource,
          DetailType: 'Wickr Access Review Requested',
          Detail: JSON.stringify({
            kind: 'access-review',
            ...(options.network ? { networkId: options.network } : {}),
            ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
          }),
        },
      ],
    }),
  );
  const eventId = answer.Entries?.[0]?.EventId;
  if (!eventId)
    throw new Error(`EventBridge refused it: ${answer.Entries?.[0]?.ErrorCode} ${answer.Entries?.[0]?.ErrorMessage}`);
  // The run ids of this request end in its event id's first twelve letters and digits.
  const suffix = `-${eventId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12)}`;
  const expected = options.network ? 1 : target.policy.networks.length;
  const bucket = await stackBucket(target, options.stage, 'ReportsBucket');
  const objects = reportObjects(
    new S3Objects(
      target.region,
      target.s3Endpoint,
      target.kind === 'local' ? localCredentials(target.accessKeyId) : undefined,
    ),
    bucket,
  );
  const deadline = Date.now() + options.timeoutMs;
  let completed: Record<string, unknown>[] = [];
  for (;;) {
    completed = (await auditTrail(target, { sinceMs: 24 * 3_600_000 }))
      .filter((e) => e.detailType === 'Wickr Access Review Completed' && String(e.detail.runId).endsWith(suffix))
      .map((e) => e.detail);
    if (completed.length >= expected || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const reports = await Promise.all(
    completed.map(async (d) => {
      const keys = d.objects as { csv: string; json: string };
      const report = JSON.parse(await objects.getText(keys.json)) as ReviewReport;
      return { ...report, objects: keys, ...(typeof d.holdId === 'string' ? { holdId: d.holdId } : {}) };
    }),
  );
  return { eventId, expected, reports, csvOf: (report) => objects.getText(report.objects.csv) };
}

/** The counts, then every account not `ok`: ids, classes and evidence (the usernames are the auditor's to see). */
export function reviewText(result: ReviewResult, waitedSeconds: number): string {
  const lines: string[] = [];
  for (const report of result.reports) {
    const counts = reviewClasses
      .filter((c) => report.counts[c] > 0)
      .map((c) => `${c} ${report.counts[c]}`)
      .join(', ');
    lines.push(`${report.networkId} ${report.runId}: ${report.rows.length} accounts — ${counts || 'none'}`);
    lines.push(
      `  report: ${report.objects.csv} (and .json)${report.holdId ? `; proposed actions wait in hold ${report.holdId}` : ''}`,
    );
    const rank = (r: { class: (typeof reviewClasses)[number] }) => reviewClasses.indexOf(r.class);
    const findings = report.rows
      .filter((r) => r.class !== 'ok')
      .sort((a, b) => rank(a) - rank(b) || a.userId.localeCompare(b.userId));
    for (const row of findings) {
      lines.push(`  ${row.class.padEnd(15)} ${row.userId.padEnd(10)} ${row.username} — ${row.evidence}`);
    }
    const guests = report.guests ?? [];
    if (guests.length > 0) {
      lines.push(`  guests: ${guests.length} seen in 90 days, ${guests.filter((g) => g.blocked).length} blocked`);
    }
    for (const bot of (report.bots ?? []).filter((b) => b.class !== 'bot-ok')) {
      lines.push(
        `  ${bot.class.padEnd(15)} ${bot.botId.padEnd(10)} ${bot.username} — last sign-in ${bot.lastLogin ?? 'never'}`,
      );
    }
  }
  if (result.reports.length < result.expected) {
    lines.push(
      `${result.expected - result.reports.length} network(s) not reviewed within ${waitedSeconds} s (ops audit shows them when they come)`,
    );
  }
  return lines.join('\n');
}
