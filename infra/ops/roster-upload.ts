/**
 * `ops roster upload FILE`: puts a roster snapshot in the deployment's roster bucket under `roster/` — as an HR
 * system's export job would — and waits for what the HR consumer concluded, read from the audit trail: accepted
 * (rows, bad rows by line and field, chunks, people missing and the hold they wait in) or refused and why; then for
 * its chunks to take effect (who was created, moved, suspended), unless told not to wait.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { refuse } from '../command-line.js';
import { localCredentials } from '../local/local-endpoints.js';
import { auditTrail } from './audit.js';
import type { OpsTarget } from './ops-target.js';
import { stackBucket } from './stack-bucket.js';

/** What became of an uploaded roster. */
export interface RosterUpload {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly outcome?: { readonly detailType: string; readonly detail: Record<string, unknown> } | undefined;
  /** The chunks that took effect (`Wickr Roster Chunk Applied`), by their first byte; absent with --no-wait. */
  readonly applied?: readonly {
    readonly start: number;
    readonly recorded: number;
    readonly actions: Record<string, number>;
  }[];
}

const maxBytes = 50 * 1024 * 1024;

/** Uploads FILE as `roster/<its name>` and waits up to `timeoutMs` for the snapshot's outcome. */
export async function uploadRoster(
  target: OpsTarget,
  file: string,
  options: { stage: string; timeoutMs: number; pollMs?: number; noWait?: boolean },
): Promise<RosterUpload> {
  const key = `roster/${basename(file)}`;
  if (!/^roster\/[A-Za-z0-9._-]{1,200}\.(csv|jsonl|ndjson)$/.test(key)) {
    refuse(`${file}: a roster's name is letters, digits, . _ - and ends in .csv, .jsonl or .ndjson`, 'ops');
  }
  if (statSync(file).size > maxBytes) refuse(`${file}: larger than 50 MB, the most a roster may be`, 'ops');
  const bucket = await stackBucket(target, options.stage, 'RosterBucket');
  const objects = new S3Objects(
    target.region,
    target.s3Endpoint,
    target.kind === 'local' ? localCredentials(target.accessKeyId) : undefined,
  );
  const started = Date.now();
  const { versionId } = await objects.put({ bucket, key }, readFileSync(file));
  const upload = { bucket, key, versionId };
  if (options.noWait) return upload;
  const deadline = started + options.timeoutMs;
  const ofThis = (e: { detail: Record<string, unknown> }) =>
    e.detail.key === key && (!versionId || e.detail.versionId === versionId);
  for (;;) {
    const trail = (await auditTrail(target, { sinceMs: 15 * 60_000 })).filter(ofThis);
    const outcome = trail.find(
      (e) => e.detailType === 'Wickr Roster Accepted' || e.detailType === 'Wickr Roster Refused',
    );
    // A chunk redelivered reports twice: counted once, by its first byte.
    const applied = [
      ...new Map(
        trail
          .filter((e) => e.detailType === 'Wickr Roster Chunk Applied')
          .map((e) => [
            Number(e.detail.start),
            {
              start: Number(e.detail.start),
              recorded: Number(e.detail.recorded ?? 0),
              actions: (e.detail.actions ?? {}) as Record<string, number>,
            },
          ]),
      ).values(),
    ];
    const chunks = outcome?.detailType === 'Wickr Roster Accepted' ? Number(outcome.detail.chunks ?? 0) : 0;
    const settled = outcome && applied.length >= chunks;
    if (settled || Date.now() >= deadline) {
      return { ...upload, outcome: outcome && { detailType: outcome.detailType, detail: outcome.detail }, applied };
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
}

/** What the applied chunks did, as one line: `created 3, moved 1` (`nothing changed in Wickr` when nothing did). */
function appliedText(applied: NonNullable<RosterUpload['applied']>): string {
  const actions: Record<string, number> = {};
  for (const chunk of applied) {
    for (const [action, n] of Object.entries(chunk.actions)) actions[action] = (actions[action] ?? 0) + n;
  }
  const changed = Object.entries(actions).filter(([action]) => action !== 'unchanged' && action !== 'coalesced');
  const recorded = applied.reduce((sum, c) => sum + c.recorded, 0);
  const said = changed.map(([action, n]) => `${action} ${n}`).join(', ') || 'nothing changed in Wickr';
  return `${said} (${recorded} row(s) recorded)`;
}

/** The upload's outcome as the HR team reads it. */
export function rosterUploadText(upload: RosterUpload, waitedSeconds: number): string {
  const o = upload.outcome;
  const head = `${upload.key} (version ${upload.versionId || 'unversioned'})`;
  if (!o && upload.applied === undefined) return `${head}: uploaded, not waiting (ops audit shows what it did)`;
  if (!o) return `${head}: uploaded, no answer within ${waitedSeconds} s (ops audit shows it when it comes)`;
  const d = o.detail;
  const issues = ((d.issues as { line: number; field: string; reason: string }[] | undefined) ?? [])
    .slice(0, 20)
    .map((i) => `  line ${i.line}, ${i.field}: ${i.reason}`);
  if (o.detailType === 'Wickr Roster Refused') return [`${head}: refused — ${String(d.reason)}`, ...issues].join('\n');
  const missing = Number(d.missing ?? 0);
  const chunks = Number(d.chunks ?? 0);
  const applied = upload.applied ?? [];
  const effect =
    upload.applied === undefined
      ? []
      : applied.length >= chunks
        ? [`  applied: ${appliedText(applied)}`]
        : [`  ${applied.length} of ${chunks} chunk(s) applied within ${waitedSeconds} s; the rest follow (ops audit)`];
  return [
    `${head}: accepted — ${String(d.rows)} rows, ${String(d.invalid)} skipped as invalid, ${chunks} chunk(s) queued for the HR consumer`,
    ...issues,
    ...effect,
    ...(missing > 0
      ? [
          `  ${missing} provisioned ${missing === 1 ? 'person is' : 'people are'} not in it: held in ${String(d.holdId)}, nobody deprovisioned until a person decides`,
          `  (npm run --silent ops -- holds show ${String(d.holdId)}; holds approve|reject ${String(d.holdId)})`,
        ]
      : []),
  ].join('\n');
}
