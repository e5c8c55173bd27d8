/**
 * The local stack as the capacity tool runs it: every function as deployed, the meters on (DynamoDB through the
 * metering proxy, EMF metrics and logs captured at INFO), the Wickr emulator answering after `wickrLatencyMs`, and one
 * way to cause each kind of fact the model prices.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Objects } from '../../lib/runtime/s3-objects.js';
import { putServiceEvents } from '../local/events/service-events-client.js';
import { type LocalStack, startLocalStack } from '../local/local-stack.js';
import { demoSeed, type EmulatorSeed } from '../local/wickr-emulator/index.js';
import { DynamoMeter } from './dynamodb-meter.js';
import { UsageMeter } from './usage.js';

/** Groups on the measured network: the model scales per group from it. */
export const measuredGroups = 20;

const seed: EmulatorSeed = {
  networks: (demoSeed.networks ?? []).map((n, i) =>
    i > 0
      ? n
      : {
          ...n,
          securityGroups: [
            ...(n.securityGroups ?? []),
            ...Array.from({ length: measuredGroups - (n.securityGroups?.length ?? 0) }, (_, g) => ({
              id: `sg-extra-${g}`,
              name: `extra-${g}`,
              securityGroupSettings: { maxNonSsoSessionMinutes: 10080 },
            })),
          ],
        },
  ),
};

type Envelope = { source: string; 'detail-type': string; detail: Record<string, unknown> };
const sample = (file: string) => JSON.parse(readFileSync(`events/${file}`, 'utf8')) as Envelope;
const okta = sample('okta-user-activated.json');
const pagerDuty = sample('pagerduty-incident-triggered.v2.json');
const guardDuty = sample('guardduty-finding.low-severity.json');

/** A metered local stack and the facts it can be given. */
export interface CapacityRig {
  readonly stack: LocalStack;
  readonly meter: UsageMeter;
  incident(incidentId: string, detailType: 'Incident Declared' | 'Incident Resolved', severity?: string): Promise<void>;
  hr(
    detailType: 'Employee Onboarded' | 'Employee Transferred' | 'Employee Offboarded',
    ids: readonly string[],
  ): Promise<void>;
  okta(count: number): Promise<void>;
  pagerDuty(count: number): Promise<void>;
  findings(count: number): Promise<void>;
  containment(employeeId: string): Promise<void>;
  fire(schedule: string): Promise<void>;
  roster(rows: number): Promise<void>;
  /** Waits until what the functions printed has reached this process (workers' output arrives a moment after). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the rig. */
export async function startCapacityRig(wickrLatencyMs: number): Promise<CapacityRig> {
  const dynamo = new DynamoMeter();
  await dynamo.listen();
  const stack = await startLocalStack({
    seed,
    logLevel: 'INFO',
    retryDelaysMs: [50, 100],
    params: {
      hrBatchingWindowSeconds: '0',
      oktaEventSource: okta.source,
      pagerDutyEventSource: pagerDuty.source,
      guardDutyEnabled: 'true',
    },
    environment: { DYNAMODB_ENDPOINT: dynamo.endpoint, POWERTOOLS_METRICS_DISABLED: 'false' },
  });
  dynamo.target = stack.dynamodbEndpoint;
  stack.emulator.setFaults({ latencyMs: wickrLatencyMs });
  const meter = new UsageMeter(stack, dynamo);
  meter.capture();
  const bus = new EventBridgeClient({
    region: stack.region,
    endpoint: stack.eventBridgeEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const put = async (source: string, detailType: string, details: readonly Record<string, unknown>[]) => {
    for (let i = 0; i < details.length; i += 10) {
      const entries = details
        .slice(i, i + 10)
        .map((d) => ({ Source: source, DetailType: detailType, Detail: JSON.stringify(d) }));
      if (source.startsWith('aws.')) {
        await putServiceEvents(
          stack.eventBridgeEndpoint,
          entries.map((e) => (source.startsWith('aws.partner/') ? { ...e, EventBusName: source } : e)),
        );
      } else
        await bus.send(new PutEventsCommand({ Entries: entries.map((e) => ({ ...e, EventBusName: stack.busName })) }));
    }
    await stack.bus.drain();
  };
  const now = () => new Date().toISOString();
  const s3 = new S3Objects(stack.region, stack.s3Endpoint, { accessKeyId: 'local', secretAccessKey: 'local' });
  return {
    stack,
    meter,
    incident: (incidentId, detailType, severity = 'SEV2') =>
      put('security.incidents', detailType, [
        detailType === 'Incident Declared' ? { incidentId, severity, title: 'capacity' } : { incidentId },
      ]),
    hr: (detailType, ids) =>
      put(
        'hr.system',
        detailType,
        ids.map((id) =>
          detailType === 'Employee Onboarded'
            ? {
                schemaVersion: '1',
                employeeId: id,
                username: `${id.toLowerCase()}@example.com`,
                firstName: 'Cap',
                lastName: id,
                department: 'Legal',
                employmentType: 'EMPLOYEE',
              }
            : detailType === 'Employee Transferred'
              ? { schemaVersion: '1', employeeId: id, department: 'Finance' }
              : { schemaVersion: '1', employeeId: id },
        ),
      ),
    okta: (count) =>
      put(
        okta.source,
        okta['detail-type'],
        Array.from({ length: count }, (_, i) => ({
          ...okta.detail,
          uuid: `cap-${randomUUID()}`,
          published: now(),
          target: [{ id: `00uCAP${i}`, type: 'User', alternateId: `cap.okta${i}@example.com`, displayName: 'Cap' }],
        })),
      ),
    pagerDuty: (count) =>
      put(
        pagerDuty.source,
        pagerDuty['detail-type'],
        Array.from({ length: count }, () => ({
          ...pagerDuty.detail,
          event: 'incident.acknowledge',
          id: randomUUID(),
          created_on: now(),
          incident: { ...(pagerDuty.detail.incident as object), priority: { summary: 'P5' } },
        })),
      ),
    findings: (count) =>
      put(
        guardDuty.source,
        guardDuty['detail-type'],
        Array.from({ length: count }, () => ({
          ...guardDuty.detail,
          id: randomUUID().replace(/-/g, ''),
          updatedAt: now(),
        })),
      ),
    containment: async (employeeId) => {
      const caseId = `case-${randomUUID().slice(0, 8)}`;
      await put('security.incidents', 'Account Compromised', [{ caseId, subject: employeeId, reason: 'capacity' }]);
      await put('security.incidents', 'Account Cleared', [{ caseId, subject: employeeId, reason: 'capacity' }]);
    },
    fire: async (schedule) => {
      await fetch(new URL(`/_local/schedules/${stack.busName}-${schedule}/fire`, stack.eventBridgeEndpoint), {
        method: 'POST',
      });
      await stack.bus.drain();
    },
    roster: async (rows) => {
      const bucket = stack.service.buckets.find((b) => b.logicalId === 'RosterBucket')?.name ?? '';
      const csv = [
        'employeeId,username,firstName,lastName,department,status',
        ...Array.from({ length: rows }, (_, i) => `R-${i},r${i}@example.com,R,${i},Sales,active`),
      ].join('\n');
      await s3.put({ bucket, key: `roster/${randomUUID()}.csv` }, Buffer.from(csv));
      await stack.bus.drain();
    },
    settle: () => new Promise((resolve) => setTimeout(resolve, 500)),
    close: async () => {
      meter.release();
      await stack.close();
      await dynamo.close();
    },
  };
}
