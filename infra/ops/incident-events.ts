import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IncidentDeclaredDetail, IncidentResolvedDetail } from '../../lib/events/incident-events.js';
import { fieldIssues } from '../../lib/schema-issues.js';
import { refuseFieldIssue } from '../command-line.js';
import type { OpsTarget } from './ops-target.js';

/** The break-glass: a declaration or resolution built from options, checked with the functions' own schema. */
export async function putIncidentEvent(
  target: OpsTarget,
  action: 'declare' | 'resolve',
  options: {
    id?: string;
    severity?: string;
    title?: string;
    network?: string[];
    groups?: string;
    override?: boolean;
    reason?: string;
    requestedBy?: string | undefined;
    dryRun?: boolean;
  },
): Promise<string> {
  const detail = {
    incidentId: options.id,
    ...(action === 'declare' ? { severity: options.severity, ...(options.title ? { title: options.title } : {}) } : {}),
    ...(options.network?.length ? { networkIds: options.network } : {}),
    ...(action === 'declare' && options.groups ? { groups: { namePatterns: options.groups.split(',') } } : {}),
    ...(action === 'resolve' && options.override ? { override: true } : {}),
    ...(action === 'resolve' && options.reason !== undefined ? { reason: options.reason } : {}),
    ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    ...(action === 'declare' && options.dryRun ? { dryRun: true } : {}),
  };
  const schema = action === 'declare' ? IncidentDeclaredDetail : IncidentResolvedDetail;
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    const options = {
      incidentId: '--id',
      severity: '--severity',
      title: '--title',
      networkIds: '--network',
      groups: '--groups',
      reason: '--reason',
      override: '--override',
    };
    refuseFieldIssue(fieldIssues(parsed.error.issues)[0], options, 'ops');
  }
  const answer = await target.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: target.busName,
          Source: target.incidentSource,
          DetailType: action === 'declare' ? 'Incident Declared' : 'Incident Resolved',
          Detail: JSON.stringify(parsed.data),
        },
      ],
    }),
  );
  const entry = answer.Entries?.[0];
  if (!entry?.EventId) throw new Error(`EventBridge refused it: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  return entry.EventId;
}
