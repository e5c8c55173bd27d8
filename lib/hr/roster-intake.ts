/** Where roster snapshots come from: the bucket, its reader, the formats and limits of a roster file. */
import { csvRecords, jsonLinesRecords } from './roster-records.js';

/** Where roster files are read from (S3), range by range. */
export interface RosterObjects {
  /** The object's bytes — of this version — from `range.start` to `range.end` (exclusive) when given. */
  read(
    object: { bucket: string; key: string; versionId?: string | undefined },
    range?: { start: number; end: number },
  ): AsyncIterable<Uint8Array>;
  /** What S3 itself says of this version: when it was written and its size (never what an event claims). */
  head(object: { bucket: string; key: string; versionId?: string | undefined }): Promise<{
    lastModified: string;
    size: number;
  }>;
}

/** What the HR queue needs to take roster snapshots. */
export interface RosterIntake {
  readonly bucket: string;
  readonly objects: RosterObjects;
  /** The deployment's account and region: a notification from elsewhere is refused. */
  readonly account: string | undefined;
  readonly region: string;
  /** The `source` the rows' facts carry (the HR source). */
  readonly source: string;
  /** The network the rosters list (`sources.roster.networkId`); the HR default when absent. */
  readonly networkId?: string | undefined;
}

export const rosterPrefix = 'roster/';
export const maxRosterBytes = 50 * 1024 * 1024;
export const maxInvalidShare = 0.2;
/** Rows per chunk message: one HR batch of chunks stays within what one reconcile does well. */
export const rowsPerChunk = 250;

export type RosterFormat = 'csv' | 'jsonl';

/** The format a key names, or undefined for a file that is not a roster. */
export const formatOf = (key: string): RosterFormat | undefined =>
  key.endsWith('.csv') ? 'csv' : key.endsWith('.jsonl') || key.endsWith('.ndjson') ? 'jsonl' : undefined;

/** A roster's records, from `offset` (a record boundary) on line `line`. */
export const recordsOf = (format: RosterFormat, bytes: AsyncIterable<Uint8Array>, offset = 0, line = 1) =>
  format === 'csv' ? csvRecords(bytes, offset, line) : jsonLinesRecords(bytes, offset, line);
