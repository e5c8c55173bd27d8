/**
 * `ops audit verify`'s check, pure: the outcome chain recomputed from the audit log's entries and held against the
 * heads anchored in the Object Lock bucket. It finds an entry deleted (a link missing, or an anchored link absent), an
 * entry altered (its value does not recompute, or differs from the anchor's) and entries moved (listed out of their
 * chain's order by more than the publishing window). What it cannot find is in docs/threat-model.md.
 */
import { genesisValue, linkValue } from './chain-link.js';

/** One audit log entry, in the order the log lists it. */
export interface TrailEntry {
  /** The event's id, to name it. */
  readonly id: string;
  readonly time: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A head as the anchor function wrote it to the Object Lock bucket. */
export interface AnchoredHead {
  readonly stream: string;
  readonly seq: number;
  readonly value: string;
}

/** One hourly anchor. */
export interface Anchor {
  readonly at: string;
  readonly heads: readonly AnchoredHead[];
}

/** What is wrong with the trail, at one entry. */
export interface TrailProblem {
  readonly kind: 'missing' | 'altered' | 'reordered' | 'unchained';
  readonly stream: string;
  readonly seq: number;
  /** The entry's event id, where there is an entry. */
  readonly id?: string | undefined;
  readonly at: string;
  readonly why: string;
}

/** The verdict: problems oldest first (the first is the one to look at), and what was checked. */
export interface TrailVerdict {
  readonly problems: readonly TrailProblem[];
  readonly verified: number;
  readonly streams: number;
  readonly preChain: number;
  readonly lastAnchorAt?: string | undefined;
}

/**
 * Concurrent publishers of one stream take their links in order but may reach the log in either order within this
 * window (the time between a link and its PutEvents, retries included); a listing inverted by more was moved.
 */
export const publishWindowMs = 1_000;

interface Linked {
  readonly entry: TrailEntry;
  readonly stream: string;
  readonly seq: number;
  readonly value: string;
  readonly at: string;
  readonly listed: number;
}

function linkOf(entry: TrailEntry, listed: number): Linked | undefined {
  const chain = entry.detail.chain as { stream?: unknown; seq?: unknown; value?: unknown; at?: unknown } | undefined;
  if (!chain || typeof chain !== 'object') return undefined;
  const { stream, seq, value, at } = chain;
  if (typeof stream !== 'string' || !Number.isSafeInteger(seq) || typeof value !== 'string' || typeof at !== 'string')
    return undefined;
  return { entry, stream, seq: seq as number, value, at, listed };
}

function checkStream(links: readonly Linked[], fromStart: boolean): TrailProblem[] {
  const problems: TrailProblem[] = [];
  const problem = (kind: TrailProblem['kind'], link: Linked, why: string, seq = link.seq) =>
    problems.push({ kind, stream: link.stream, seq, id: link.entry.id, at: link.at, why });
  // Listing order: a link listed after a later one, by more than the window, was moved.
  let furthest: Linked | undefined;
  const seen = new Set<string>();
  for (const link of links) {
    // A later delivery of an entry already listed is a duplicate (checked below), not a move.
    if (seen.has(`${link.seq}:${link.value}`)) continue;
    seen.add(`${link.seq}:${link.value}`);
    if (furthest && link.seq < furthest.seq && Date.parse(furthest.at) - Date.parse(link.at) > publishWindowMs) {
      problem('reordered', link, `listed after seq ${furthest.seq} (${furthest.at}) though it came before`);
    }
    if (!furthest || link.seq > furthest.seq) furthest = link;
  }
  const bySeq = [...links].sort((a, b) => a.seq - b.seq || a.listed - b.listed);
  let previous: Linked | undefined;
  let before: Linked | undefined;
  for (const link of bySeq) {
    const duplicate = previous?.seq === link.seq;
    // The same link delivered twice is one entry (EventBridge delivers at least once); it must still compute.
    if (duplicate && link.value !== previous?.value)
      problem('altered', link, `a second, different entry at seq ${link.seq}`);
    if (!duplicate) {
      const expected = previous ? previous.seq + 1 : fromStart ? 1 : link.seq;
      if (link.seq > expected) {
        const range = link.seq - 1 > expected ? `${expected}–${link.seq - 1}` : `${expected}`;
        problems.push({
          kind: 'missing',
          stream: link.stream,
          seq: expected,
          at: previous?.at ?? link.at,
          why: `seq ${range} absent: the log goes from ${previous ? `seq ${previous.seq}` : 'the start'} to seq ${link.seq}`,
        });
      }
      before = previous;
    }
    const prev = link.seq === 1 ? genesisValue : before?.seq === link.seq - 1 ? before.value : undefined;
    if (prev !== undefined && linkValue(prev, link, link.entry.detailType, link.entry.detail) !== link.value) {
      problem('altered', link, 'its content does not compute to its link value');
    }
    if (!duplicate) previous = link;
  }
  return problems;
}

function checkAnchors(anchors: readonly Anchor[], byStream: ReadonlyMap<string, readonly Linked[]>, since: number) {
  const problems: TrailProblem[] = [];
  for (const anchor of anchors) {
    for (const head of anchor.heads) {
      const links = byStream.get(head.stream) ?? [];
      const first = links.reduce((n, l) => Math.min(n, l.seq), Number.POSITIVE_INFINITY);
      // A head before the window's first entry of its stream is older than what was read: nothing to hold it to.
      if (head.seq < first && (links.length > 0 || Date.parse(anchor.at) < since)) continue;
      const found = links.find((l) => l.seq === head.seq);
      if (!found) {
        problems.push({
          kind: 'missing',
          stream: head.stream,
          seq: head.seq,
          at: anchor.at,
          why: `anchored at ${anchor.at} but absent from the log`,
        });
      } else if (found.value !== head.value) {
        problems.push({
          kind: 'altered',
          stream: head.stream,
          seq: head.seq,
          id: found.entry.id,
          at: found.at,
          why: `its value differs from the one anchored at ${anchor.at}`,
        });
      }
    }
  }
  return problems;
}

/**
 * Verifies a trail against the anchors. `fromStart`: the trail goes back to the chain's beginning (each stream must
 * start at seq 1); otherwise each stream's first entry in the window is taken as given and the links after it checked.
 */
export function verifyTrail(
  entries: readonly TrailEntry[],
  anchors: readonly Anchor[],
  options: { readonly fromStart: boolean; readonly sinceMs?: number },
): TrailVerdict {
  const byStream = new Map<string, Linked[]>();
  const problems: TrailProblem[] = [];
  let preChain = 0;
  let chained = false;
  entries.forEach((entry, listed) => {
    const link = linkOf(entry, listed);
    if (link) {
      chained = true;
      byStream.set(link.stream, [...(byStream.get(link.stream) ?? []), link]);
    } else if (!chained) preChain++;
    else
      problems.push({
        kind: 'unchained',
        stream: '-',
        seq: 0,
        id: entry.id,
        at: entry.time,
        why: `a ${entry.detailType} without a chain link, after the chain began: not published by a function`,
      });
  });
  for (const links of byStream.values()) problems.push(...checkStream(links, options.fromStart));
  problems.push(...checkAnchors(anchors, byStream, options.sinceMs ?? 0));
  problems.sort((a, b) => a.at.localeCompare(b.at) || a.stream.localeCompare(b.stream) || a.seq - b.seq);
  return {
    problems,
    verified: [...byStream.values()].reduce((n, l) => n + l.length, 0),
    streams: byStream.size,
    preChain,
    lastAnchorAt: anchors
      .map((a) => a.at)
      .sort()
      .at(-1),
  };
}
