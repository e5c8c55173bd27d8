/**
 * Roster snapshots on the HR queue: S3's `Object Created` event for a file under `roster/` (S3 sends it to
 * EventBridge; the roster rule puts it on the HR queue), and the chunk messages the consumer sends itself.
 */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

// A plain key (no encoding questions): what an export job writes, e.g. roster/2026-11-30.csv.
const rosterKey = lazySchema(() =>
  z.string().check(z.regex(/^roster\/[A-Za-z0-9._-]{1,200}$/, 'must be roster/ and 1–200 letters, digits, . _ -')),
);

/** S3's `Object Created` event, as S3 sends it to EventBridge (the fields the roster reads, bounded). */
export const RosterObjectCreated = lazySchema(() =>
  eventBridgeEnvelope(
    'Object Created',
    z.object({
      bucket: z.object({ name: z.string().check(z.maxLength(63)) }),
      object: z.object({
        key: rosterKey,
        size: z.number().check(z.int(), z.gte(0)),
        etag: z.optional(z.string().check(z.maxLength(128))),
        'version-id': z.optional(z.string().check(z.maxLength(1024))),
      }),
    }),
  ),
);
export type RosterObjectCreated = z.output<typeof RosterObjectCreated>;

/** One chunk of an accepted snapshot: a byte range of one version of the file, read again by the consumer. */
export const RosterChunkMessage = lazySchema(() =>
  z.object({
    kind: z.literal('roster-chunk'),
    bucket: z.string().check(z.maxLength(63)),
    key: rosterKey,
    versionId: z.optional(z.string().check(z.maxLength(1024))),
    tag: z.string().check(z.regex(/^[A-Za-z0-9]{1,16}$/)),
    snapshotTime: z.iso.datetime(),
    networkId: z.string().check(z.regex(/^[0-9]{8}$/)),
    format: z.enum(['csv', 'jsonl']),
    columns: z.array(z.string().check(z.maxLength(40))).check(z.maxLength(9)),
    start: z.number().check(z.int(), z.gte(0)),
    end: z.number().check(z.int(), z.gte(0)),
    line: z.number().check(z.int(), z.gte(1)),
  }),
);
export type RosterChunkMessage = z.output<typeof RosterChunkMessage>;
