/**
 * `ops audit verify`: the audit trail held to its chain and to the anchors in the Object Lock bucket. Each anchor is
 * read in the version first written (a later version of its key, which Object Lock cannot prevent, is named, never
 * believed); the trail is the log (or an exported `ops audit --json` file, for an auditor's own copy).
 */
import { readFileSync } from 'node:fs';
import { anchorKey } from '../../lib/audit/anchor-heads.js';
import { type Anchor, type TrailVerdict, verifyTrail } from '../../lib/audit/verify-trail.js';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { localCredentials } from '../local/local-endpoints.js';
import { type AuditEntry, auditTrail } from './audit.js';
import type { OpsTarget } from './ops-target.js';
import { stackBucket } from './stack-bucket.js';

/** What verify found, with the anchors it read and the keys written more than once. */
export interface AuditVerification extends TrailVerdict {
  readonly anchors: number;
  readonly rewrittenAnchors: readonly string[];
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

async function readAnchors(target: OpsTarget, stage: string, sinceMs: number) {
  const bucket = await stackBucket(target, stage, 'AuditAnchorBucket');
  const s3 = new S3Objects(
    target.region,
    target.s3Endpoint,
    ...(target.s3Endpoint ? [localCredentials(target.accessKeyId)] : []),
  );
  const versions = await s3.listVersions(bucket, 'anchors/');
  const firstHour = anchorKey(sinceMs);
  const byKey = new Map<string, typeof versions>();
  for (const v of versions) if (v.key >= firstHour) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  const anchors: Anchor[] = [];
  for (const [key, written] of byKey) {
    const first = [...written].sort((a, b) => a.lastModified.localeCompare(b.lastModified))[0];
    if (!first) continue;
    let text = '';
    for await (const chunk of s3.read({ bucket, key, versionId: first.versionId }))
      text += Buffer.from(chunk).toString();
    anchors.push(JSON.parse(text) as Anchor);
  }
  const rewrittenAnchors = [...byKey].filter(([, v]) => v.length > 1).map(([key]) => key);
  return { anchors, rewrittenAnchors };
}

/** Verifies the trail since `sinceMs` ago (undefined: all of it, from the chain's start). */
export async function verifyAudit(
  target: OpsTarget,
  stage: string,
  options: { readonly sinceMs?: number | undefined; readonly trailFile?: string | undefined },
): Promise<AuditVerification> {
  const window = options.sinceMs ?? 400 * 86_400_000;
  const entries: AuditEntry[] = options.trailFile
    ? (JSON.parse(readFileSync(options.trailFile, 'utf8')) as { entries: AuditEntry[] }).entries
    : await auditTrail(target, { sinceMs: window });
  const { anchors, rewrittenAnchors } = await readAnchors(target, stage, Date.now() - window);
  const verdict = verifyTrail(entries, anchors, {
    fromStart: options.sinceMs === undefined,
    sinceMs: Date.now() - window,
  });
  return { ...verdict, anchors: anchors.length, rewrittenAnchors, from: entries[0]?.time, to: entries.at(-1)?.time };
}

/** The verification as the terminal shows it: the first problem first. */
export function verificationText(v: AuditVerification): string {
  const notes = [
    ...(v.preChain > 0 ? [`${v.preChain} outcome(s) from before the chain began, not verifiable`] : []),
    ...v.rewrittenAnchors.map((key) => `anchor ${key} was written again later: its first version is the one used`),
  ];
  const [first, ...rest] = v.problems;
  if (!first) {
    return [
      `verified ${v.verified} outcomes in ${v.streams} stream(s)${v.from ? ` from ${v.from} to ${v.to}` : ''}, ${v.lastAnchorAt ? `heads anchored at ${v.lastAnchorAt} (${v.anchors} anchor(s))` : 'no anchor yet (the first is written within the hour)'}`,
      ...notes,
    ].join('\n');
  }
  const line = (p: typeof first) =>
    `${p.kind} ${p.stream} seq ${p.seq}${p.id ? ` (event ${p.id})` : ''} at ${p.at}: ${p.why}`;
  return [
    `NOT VERIFIED — first: ${line(first)}`,
    ...(rest.length > 0 ? [`${rest.length} more:`, ...rest.slice(0, 20).map((p) => `  ${line(p)}`)] : []),
    ...(rest.length > 20 ? [`  … and ${rest.length - 20} more (--json lists them all)`] : []),
    `${v.verified} outcomes in ${v.streams} stream(s) read; ${v.anchors} anchor(s)`,
    ...notes,
  ].join('\n');
}
