import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IncidentDeclaredDetail, IncidentResolvedDetail } from '../../lib/events/incident-events.js';
import { fieldIssues } from '../../lib/schema-issues.js';
import { refuseFieldIssue } from '../command-line.js';
import { callOperatorEntry } from './operator-entry.js';
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
  const detailType = action === 'declare' ? 'Incident Declared' : 'Incident Resolved';
  if (options.override) {
    // An override is the operators' entry point's alone: it knows who asks from their signature.
    const answer = await callOperatorEntry<{ eventId: string }>(target, {
      action: 'put-fact',
      detailType,
      detail: parsed.data,
    });
    return answer.eventId;
  }
  const answer = await target.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: target.busName,
          Source: target.incidentSource,
          DetailType: detailType,
          Detail: JSON.stringify(parsed.data),
        },
      ],
    }),
  );
  const entry = answer.Entries?.[0];
  if (!entry?.EventId) throw new Error(`EventBridge refused it: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  return entry.EventId;
}
