/**
 * The posture watched on the local stack as deployed: the hourly schedule fired, the posture function reading the
 * emulator's network, a baseline recorded; then a data-retention switch-off, an SSO issuer change and a key change made
 * in the console, each said once as drift and counted at every check; the operators accept through the entry point,
 * a developer may not; and the network's SSO secret nowhere — not in an event, a log line or the state table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointsOf, startLocalStack } from '../../infra/local/local-stack.js';
import { OperatorEntryRefusedError } from '../../infra/ops/operator-entry.js';
import { targetOf } from '../../infra/ops/ops-target.js';
import { acceptPostureOf, postureStatus } from '../../infra/ops/posture.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { fireSchedule } from '../support/fire-schedule.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const operators = 'arn:aws:iam::000000000000:role/operators';
const secret = 'sso-client-secret-never-logged-5c1e9a';
const networkId = '12345678';
// What the functions print (their logs and metrics, through the execution environments' workers).
const printed: string[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  printed.push(String(chunk));
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'INFO',
  seed: {
    networks: [
      {
        networkId,
        networkName: 'posture',
        settings: { dataRetention: true },
        dataRetentionBot: { botName: 'compliance' },
        encryptionKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/original',
        oidc: { companyId: 'example', issuer: 'https://idp.example.com', clientId: 'wickr', clientSecret: secret },
        securityGroups: [{ id: 'sg-1', name: 'everyone', isDefault: true, securityGroupSettings: {} }],
      },
    ],
  },
  // A budget of 200 requests/s: the posture's share reads a network in well under a second.
  params: { operatorsRoleArn: operators, wickrRequestsPerSecond: '200' },
  // The metrics as CloudWatch would read them (EMF lines), which the local stack leaves out by default.
  environment: { POWERTOOLS_METRICS_DISABLED: 'false' },
  identities: new Map([
    ['OPSKEY', operators],
    ['DEVKEY', 'arn:aws:iam::000000000000:role/developer'],
  ]),
});
afterAll(async () => {
  process.stdout.write = write;
  await stack.close();
});

const fire = () => fireSchedule(stack, 'posture-check');
const change = async (patch: Record<string, unknown>) => {
  const answer = await fetch(`${stack.wickrEndpoint}/_emulator/posture?networkId=${networkId}`, {
    method: 'PATCH',
    body: JSON.stringify(patch),
  });
  expect(answer.status).toBe(200);
};
const outcomes = (detailType: string) =>
  stack.bus.events
    .filter((e) => e.event.source === 'wickr.autopilot' && e.event['detail-type'] === detailType)
    .map((e) => e.event.detail as Record<string, unknown>);
const items = (detail: Record<string, unknown> | undefined) =>
  ((detail?.drift ?? []) as { item: string }[]).map((d) => d.item);
// The PostureDrift metric of each check, as the function emitted it (CloudWatch EMF); a worker's output reaches this
// process a moment after its invocation ends.
const driftMetrics = async (count: number) => {
  const read = () => [...printed.join('').matchAll(/"PostureDrift":(\d+)/g)].map((m) => Number(m[1]));
  for (let waited = 0; read().length < count && waited < 5_000; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  return read();
};

describe('the posture on the local stack', () => {
  it('records a baseline, says each console change once, counts it every hour, and keeps the secret out', async () => {
    await fire();
    expect(outcomes('Wickr Posture Baseline Recorded')).toHaveLength(1);

    await change({ dataRetention: false });
    await fire();
    await fire();
    expect(outcomes('Wickr Posture Drift').map(items)).toEqual([
      ['dataRetention.setting', 'dataRetention.isDataRetentionServiceEnabled'],
    ]);
    expect(await driftMetrics(2)).toEqual([2, 2]);

    await change({ oidc: { companyId: 'example', issuer: 'https://attacker.example.net', clientId: 'wickr' } });
    await fire();
    expect(items(outcomes('Wickr Posture Drift')[1])).toContain('sso.issuer');
    await change({ encryptionKeyArn: 'arn:aws:kms:us-east-1:999999999999:key/theirs' });
    await fire();
    expect(items(outcomes('Wickr Posture Drift')[2])).toContain('encryptionKeyArn');
    expect(outcomes('Wickr Posture Drift')).toHaveLength(3);

    const target = targetOf(endpointsOf(stack), { service: stack.service, as: 'OPSKEY' });
    const [status] = await postureStatus(target);
    expect(status?.drift.map((d) => d.item)).toEqual([
      'dataRetention.setting',
      'dataRetention.isDataRetentionServiceEnabled',
      'sso.issuer',
      'encryptionKeyArn',
    ]);

    const { Items = [] } = await documentClient(stack.dynamodb.client).send(
      new ScanCommand({ TableName: String(stack.service.providerEnvironment.STATE_TABLE) }),
    );
    for (const text of [JSON.stringify(stack.bus.events), printed.join(''), JSON.stringify(Items)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('idp.example.com');
    }
  });

  it('takes an accept from the operators only, in the name AWS authenticated; the next check finds nothing', async () => {
    const developer = targetOf(endpointsOf(stack), { service: stack.service, as: 'DEVKEY' });
    await expect(acceptPostureOf(developer, networkId, 5_000)).rejects.toBeInstanceOf(OperatorEntryRefusedError);
    const target = targetOf(endpointsOf(stack), { service: stack.service, as: 'OPSKEY' });
    const before = (await driftMetrics(4)).length;
    const { answer } = await acceptPostureOf(target, networkId, 30_000);
    expect(answer).toMatchObject({ detailType: 'Wickr Posture Accepted', detail: { acceptedBy: operators } });
    await fire();
    // The check finds nothing and counts nothing: a zero is not sent (it would only cost a metric-hour).
    expect(await driftMetrics(before + 1)).toHaveLength(before);
    expect(outcomes('Wickr Posture Drift')).toHaveLength(3);
  });
});
