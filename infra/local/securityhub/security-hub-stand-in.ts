/**
 * The Security Hub stand-in: `BatchUpdateFindings` (`PATCH /findings/batchupdate`) as the write-back calls it. Each
 * update is kept (`updates`) and, as Security Hub does, the finding comes back as a new `Security Hub Findings -
 * Imported` event on the default bus with its note and workflow status — so the loop the write-back must not start
 * is a test. A finding the stand-in never saw imported is unprocessed (`FindingNotFound`).
 */
import * as z from 'zod/mini';
import { AwsJsonError } from '../events/bus-event.js';

const Update = z.strictObject({
  FindingIdentifiers: z
    .array(z.strictObject({ Id: z.string().check(z.minLength(1)), ProductArn: z.string().check(z.minLength(1)) }))
    .check(z.minLength(1), z.maxLength(100)),
  Note: z.optional(
    z.strictObject({
      Text: z.string().check(z.minLength(1), z.maxLength(512)),
      UpdatedBy: z.string().check(z.minLength(1), z.maxLength(512)),
    }),
  ),
  Workflow: z.optional(z.strictObject({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) })),
});
export type FindingUpdate = z.output<typeof Update>;

/** What the stand-in reaches: the findings imported so far (the latest of each), and the default bus. */
export interface SecurityHubParts {
  readonly latestFinding: (id: string, productArn: string) => Record<string, unknown> | undefined;
  readonly importFindings: (findings: readonly Record<string, unknown>[]) => void;
  readonly nowMs?: () => number;
}

export class SecurityHubStandIn {
  /** Every update taken, in order. */
  readonly updates: FindingUpdate[] = [];

  constructor(private readonly parts: SecurityHubParts) {}

  /** Answers `PATCH /findings/batchupdate`, or throws the error Security Hub answers with. */
  batchUpdateFindings(body: unknown) {
    const parsed = Update.safeParse(body);
    if (!parsed.success) throw new AwsJsonError('InvalidInputException', parsed.error.issues[0]?.message ?? 'invalid');
    const update = parsed.data;
    this.updates.push(update);
    const at = new Date((this.parts.nowMs ?? Date.now)()).toISOString();
    const processed: { Id: string; ProductArn: string }[] = [];
    const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string }[] = [];
    const changed: Record<string, unknown>[] = [];
    for (const identifier of update.FindingIdentifiers) {
      const finding = this.parts.latestFinding(identifier.Id, identifier.ProductArn);
      if (!finding) {
        unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'FindingNotFound' });
        continue;
      }
      processed.push(identifier);
      changed.push({
        ...finding,
        ...(update.Note ? { Note: { ...update.Note, UpdatedAt: at } } : {}),
        ...(update.Workflow ? { Workflow: update.Workflow } : {}),
      });
    }
    if (changed.length > 0) this.parts.importFindings(changed);
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }
}
