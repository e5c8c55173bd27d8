/** The part of AWS Security Hub's `Security Hub Findings - Imported` event that can declare or resolve an incident. */
import * as z from 'zod/mini';
import { eventBridgeEnvelope } from './eventbridge-envelope.js';

export const securityHubSeverityLabels = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

const Finding = z.object({
  Id: z.string('is required').check(z.minLength(1, 'is required'), z.maxLength(512, 'must be at most 512 characters')),
  Title: z.optional(z.string()),
  Severity: z.object({
    Label: z.enum(securityHubSeverityLabels, `must be one of ${securityHubSeverityLabels.join(', ')}`),
  }),
  Workflow: z.optional(z.object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) })),
  RecordState: z.optional(z.enum(['ACTIVE', 'ARCHIVED'])),
});
export type SecurityHubFinding = z.output<typeof Finding>;

/** The EventBridge event Security Hub sends for imported findings. */
export const SecurityHubFindingsImportedEvent = eventBridgeEnvelope(
  'Security Hub Findings - Imported',
  z.object({ findings: z.array(Finding).check(z.minLength(1, 'must hold at least one finding')) }),
);
export type SecurityHubFindingsImportedEvent = z.output<typeof SecurityHubFindingsImportedEvent>;
