/**
 * A lockdown covers the whole network, whatever hands do meanwhile — through the local stack as deployed: a group HR
 * creates during a SEV1 is locked as soon as it exists, a group made by hand and a group loosened by hand are
 * brought back by the sweep (and reported as drift), and the resolution restores each exactly.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../infra/local/local-stack.js';
import { dynamoKind } from '../support/local-dynamodb.js';

const stack = await startLocalStack({
  dynamodb: dynamoKind,
  retryDelaysMs: [50, 100],
  logLevel: 'CRITICAL',
  params: { hrBatchingWindowSeconds: '0' },
});
afterAll(() => stack.close());

const bus = new EventBridgeClient({
  region: 'us-east-1',
  endpoint: stack.eventBridgeEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const put = async (source: string, detailType: string, detail: object) => {
  await bus.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: stack.busName, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) },
      ],
    }),
  );
  await stack.bus.drain();
};
const networkId = '12345678';
const groups = () => stack.emulator.snapshot().networks[0]?.securityGroups ?? [];
const settingsOf = (name: string) => groups().find((g) => g.name === name)?.securityGroupSettings;
const wickr = () =>
  import('../../lib/wickr/index.js').then(
    ({ WickrAdminClient }) =>
      new WickrAdminClient({
        region: 'us-east-1',
        endpoint: stack.wickrEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
  );
/** The sweeps scheduled while the network is locked come due now (they wait LOCKDOWN_SWEEP_SECONDS on AWS). */
const sweep = async () => {
  stack.sqs.expediteDelays('NetworkReconcileQueue');
  await stack.bus.drain();
};
const outcomes = (detailType: string) =>
  stack.bus.events.filter((e) => e.event.source === 'wickr.autopilot' && e.event['detail-type'] === detailType);

describe('a lockdown over the whole network', () => {
  it('locks a group HR creates during it, re-locks groups made or loosened by hand, and restores each exactly', async () => {
    const incidentId = `INC-${randomUUID().slice(0, 8)}`;
    await put('security.incidents', 'Incident Declared', { incidentId, severity: 'SEV1', title: 'breach' });
    const locked = { maxNonSsoSessionMinutes: 60, alwaysReauthenticate: true, lockoutThreshold: 3 };
    for (const g of groups()) expect(g.securityGroupSettings, g.name).toMatchObject(locked);

    // HR onboards someone into a department that has no group yet: made from the template, then locked at once.
    await put('hr.system', 'Employee Onboarded', {
      employeeId: 'E-LOCK-1',
      username: 'new.joiner@example.com',
      department: 'Marketing',
    });
    expect(settingsOf('marketing')).toMatchObject(locked);

    // An admin makes a group by hand and loosens a locked one.
    const client = await wickr();
    const { securityGroup } = await client.createSecurityGroup({
      networkId,
      name: 'made by hand',
      securityGroupSettings: { lockoutThreshold: 10 },
    });
    await client.updateSecurityGroup({
      networkId,
      groupId: securityGroup.id,
      securityGroupSettings: { maxNonSsoSessionMinutes: 1440 },
    });
    const loosened = groups().find((g) => g.name !== 'marketing' && g.name !== 'made by hand');
    await client.updateSecurityGroup({
      networkId,
      groupId: loosened?.id ?? '',
      securityGroupSettings: { maxNonSsoSessionMinutes: 1440 },
    });
    await sweep();
    expect(settingsOf('made by hand')).toMatchObject(locked);
    expect(settingsOf(loosened?.name ?? '')).toMatchObject({ maxNonSsoSessionMinutes: 60 });
    const drift = outcomes('Wickr Lockdown Drift').flatMap((e) => (e.event.detail as { drift: object[] }).drift);
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ groupName: 'made by hand', field: 'maxNonSsoSessionMinutes', found: 1440, set: 60 }),
        expect.objectContaining({ groupId: loosened?.id, field: 'maxNonSsoSessionMinutes', found: 1440, set: 60 }),
      ]),
    );
    // A sweep that finds nothing changed says nothing.
    const reported = outcomes('Wickr Lockdown Drift').length;
    await sweep();
    expect(outcomes('Wickr Lockdown Drift')).toHaveLength(reported);

    await put('security.incidents', 'Incident Resolved', { incidentId });
    // Exactly what was there when the lockdown reached each group: the template, the hand-made settings, and the
    // admin's loosened value (the admin's latest word, recorded as the field's original when it was re-locked).
    expect(settingsOf('marketing')).toMatchObject({ maxNonSsoSessionMinutes: 1440, lockoutThreshold: 10 });
    expect(settingsOf('made by hand')).toMatchObject({ maxNonSsoSessionMinutes: 1440, lockoutThreshold: 10 });
    expect(settingsOf(loosened?.name ?? '')).toMatchObject({ maxNonSsoSessionMinutes: 1440 });
    // Unlocked: the sweeps stop (one may still be due; it finds nothing locked and asks Wickr nothing).
    const journal = stack.emulator.journal().length;
    await sweep();
    expect(stack.emulator.journal()).toHaveLength(journal);
  });
});
