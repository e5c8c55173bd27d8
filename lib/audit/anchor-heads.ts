/**
 * The hourly anchor: every stream's chain head, written once an hour to the Object Lock bucket, where in compliance
 * mode nobody — the account's root included — can delete or overwrite it until its retention ends. A trail edited
 * after an anchor no longer reaches the anchored value; one cut short no longer reaches the anchored seq.
 */
import type { AnchorDeps } from './ports.js';
import type { Anchor } from './verify-trail.js';

/** The object key of the anchor for the hour of `ms`: `anchors/YYYY/MM/DD/HH.json`. */
export function anchorKey(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `anchors/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}.json`;
}

/** Writes this hour's anchor unless it is written; says what it wrote (`Wickr Audit Anchored`). */
export async function anchorHeads(deps: AnchorDeps, trigger: string) {
  const nowMs = deps.nowMs();
  const heads = [...(await deps.heads.heads(deps.owners))].sort((a, b) => a.stream.localeCompare(b.stream));
  const anchor: Anchor = { at: new Date(nowMs).toISOString(), heads };
  const key = anchorKey(nowMs);
  const written = await deps.objects.putOnce(key, `${JSON.stringify(anchor)}\n`);
  deps.logger.info(written ? 'Chain heads anchored' : 'This hour was anchored already', {
    key,
    streams: heads.length,
  });
  if (written) {
    await deps.publisher.publish('Wickr Audit Anchored', {
      trigger,
      key,
      anchoredAt: anchor.at,
      streams: heads.length,
      outcomes: heads.reduce((n, h) => n + h.seq, 0),
    });
  }
  return { key, written, streams: heads.length };
}
