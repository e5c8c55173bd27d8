/**
 * The outcome chain: every outcome a function publishes carries `chain` — its stream, its place in it and the
 * SHA-256 of the previous link's value and its own content — so an entry deleted, altered or moved in the audit log
 * breaks the links after it. A stream is one execution environment's outcomes (lib/audit/outcome-chain.ts): one
 * writer, no contention, no write per outcome. Pure: the publisher and `ops audit verify` share it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** An outcome's place in its chain, as the outcome carries it. */
export interface ChainLink {
  readonly stream: string;
  readonly seq: number;
  readonly value: string;
  /** When the link was taken (ISO, ms): never before the link ahead of it in its stream. */
  readonly at: string;
}

/** The value before a stream's first link. */
export const genesisValue = '0'.repeat(64);

/**
 * The owner of a function's chains: its name in serverless.yml (`incidentDeclared`), the deployed name's last part
 * (`wickr-autopilot-prod-incidentDeclared`) — one name in every stage, which IAM names in each role's grant.
 */
export const chainOwnerOf = (functionName: string): string => functionName.slice(functionName.lastIndexOf('-') + 1);

/** The owner (function name) of a stream. */
export const ownerOf = (stream: string): string => stream.slice(0, stream.lastIndexOf('#'));

/**
 * A link's value: the hash of the previous value, the link's own place and time and the outcome's type and detail (without
 * its `chain`), as canonical JSON — so a reordered, renumbered or edited entry computes to something else.
 */
export function linkValue(
  prev: string,
  place: { readonly stream: string; readonly seq: number; readonly at: string },
  detailType: string,
  detail: Readonly<Record<string, unknown>>,
): string {
  const { chain: _ignored, ...content } = detail;
  return createHash('sha256')
    .update(canonicalJson({ prev, stream: place.stream, seq: place.seq, at: place.at, detailType, detail: content }))
    .digest('hex');
}
