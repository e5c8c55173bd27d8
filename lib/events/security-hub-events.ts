/** The part of AWS Security Hub's `Security Hub Findings - Imported` event that can declare or resolve an incident. */
import * as z from 'zod/mini';
import { lazySchema } from '../lazy-schema.js';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export const securityHubSeverityLabels = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

/** Findings one event may carry; Security Hub sends one per event, and no event may make us loop for long. */
export const maxFindingsPerEvent = 20;

const Finding = lazySchema(() =>
  z.object({
    Id: z
      .string('is required')
      .check(z.minLength(1, 'is required'), z.maxLength(512, 'must be at most 512 characters')),
    ProductArn: z
      .string('is required')
      .check(
        z.maxLength(512, 'must be at most 512 characters'),
        z.regex(
          /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{0,12}:product\/[\w.-]+\/[\w.-]+$/,
          'must be a Security Hub product ARN',
        ),
      ),
    AwsAccountId: z.string('is required').check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
    // Untrusted text: normalised and bounded before it reaches the popup.
    Title: z.optional(z.string().check(z.maxLength(1024, 'must be at most 1024 characters'))),
    Severity: z.object({
      Label: z.enum(securityHubSeverityLabels, `must be one of ${securityHubSeverityLabels.join(', ')}`),
    }),
    Workflow: z.optional(z.object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) })),
    RecordState: z.optional(z.enum(['ACTIVE', 'ARCHIVED'])),
    // Who last wrote the finding's note: our own write-back is never a fact.
    Note: z.optional(z.looseObject({ UpdatedBy: z.optional(z.string().check(z.maxLength(512))) })),
  }),
);
export type SecurityHubFinding = z.output<typeof Finding>;

/** The EventBridge event Security Hub sends for imported findings. */
export const SecurityHubFindingsImportedEvent = lazySchema(() =>
  eventBridgeEnvelope(
    'Security Hub Findings - Imported',
    z.object({
      findings: z
        .array(Finding)
        .check(
          z.minLength(1, 'must hold at least one finding'),
          z.maxLength(maxFindingsPerEvent, `must hold at most ${maxFindingsPerEvent} findings`),
        ),
    }),
  ),
);
export type SecurityHubFindingsImportedEvent = z.output<typeof SecurityHubFindingsImportedEvent>;
