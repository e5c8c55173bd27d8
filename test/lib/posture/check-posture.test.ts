/**
 * The posture check against the Wickr emulator over HTTP and a real local DynamoDB: a baseline recorded once, each
 * change an administrator (or an attacker) makes in the console — retention switched off, the SSO issuer changed, the
 * key changed, a burst of bots — said once as drift and counted at every check until accepted, and the SSO secret
 * nowhere: not in the events, the logs or the state table.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptPosture, checkPosture } from '../../../lib/posture/check-posture.js';
import type { PostureDeps } from '../../../lib/posture/ports.js';
import { documentClient } from '../../../lib/store/dynamodb-client.js';
import { PostureBaselineStore } from '../../../lib/store/posture-baseline-store.js';
import { startIntegration } from '../../support/integration.js';
import { tableNames } from '../../support/local-dynamodb.js';

const networkId = '12345678';
const secret = 'oidc-client-secret-3f9a1c77e0b2';
const { fixture, db } = await startIntegration();
const doc = documentClient(db.client);
const published: { detailType: string; detail: Record<string, unknown> }[] = [];
const logged: string[] = [];
const metrics: number[] = [];

const deps: PostureDeps = {
  wickr: fixture.client(),
  baselines: new PostureBaselineStore(doc, tableNames.state),
  section: { maxGrowthPercent: 20 },
  networkIds: [networkId],
  nowMs: Date.now,
  publisher: { publish: async (detailType, detail) => void published.push({ detailType, detail: { ...detail } }) },
  metrics: { add: (name, value) => name === 'PostureDrift' && metrics.push(value) },
  logger: {
    info: (message, extra) => void logged.push(JSON.stringify({ message, ...extra })),
    warn: (message, extra) => void logged.push(JSON.stringify({ message, ...extra })),
  },
};

/** Changes the network's posture through the emulator's control plane, as the console would. */
async function change(patch: Record<string, unknown>) {
  const answer = await fetch(`${fixture.emulator.endpoint}/_emulator/posture?networkId=${networkId}`, {
    method: 'PATCH',
    body: JSON.stringify(patch),
  });
  expect(answer.status).toBe(200);
}
const drifts = () => published.filter((p) => p.detailType === 'Wickr Posture Drift');

beforeAll(() => {
  fixture.emulator.reset({
    networks: [
      {
        networkId,
        networkName: 'posture',
        settings: { dataRetention: true },
        dataRetentionBot: {},
        encryptionKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1111',
        oidc: {
          companyId: 'example',
          issuer: 'https://idp.example.com',
          clientId: 'wickr',
          clientSecret: secret,
          redirectUrl: 'https://wickr.example.com/callback',
        },
        bots: [{ botId: '7001', username: 'alerts-bot', groupId: 'sg-1' }],
        securityGroups: [{ id: 'sg-1', name: 'everyone', securityGroupSettings: {} }],
      },
    ],
  });
});

describe('the posture check', () => {
  it('records a baseline once, then says each change once, counts it at every check, and keeps the secret out', async () => {
    expect(await checkPosture(deps, 'Scheduled Event')).toEqual([{ networkId, result: 'baseline-recorded' }]);
    expect(await checkPosture(deps, 'Scheduled Event')).toEqual([{ networkId, result: 'unchanged' }]);

    await change({ dataRetention: false });
    await checkPosture(deps, 'Scheduled Event');
    await checkPosture(deps, 'Scheduled Event');
    expect(drifts().map((d) => d.detail.drift)).toEqual([
      [
        { item: 'dataRetention.setting', before: true, after: false },
        { item: 'dataRetention.isDataRetentionServiceEnabled', before: true, after: false },
      ],
    ]);
    expect(metrics.slice(-2)).toEqual([2, 2]);

    await change({ oidc: { companyId: 'example', issuer: 'https://evil.example.net', clientSecret: secret } });
    await checkPosture(deps, 'Scheduled Event');
    const latest = (drifts().at(-1)?.detail.drift ?? []) as { item: string; before: unknown; after: unknown }[];
    const sso = latest.filter((d) => d.item.startsWith('sso.'));
    expect(sso.map((d) => d.item)).toEqual(['sso.issuer', 'sso.clientId', 'sso.redirectUrl']);
    expect(sso.every((d) => String(d.before).startsWith('sha256:'))).toBe(true);

    await change({ encryptionKeyArn: 'arn:aws:kms:us-east-1:999999999999:key/2222' });
    await checkPosture(deps, 'Scheduled Event');
    expect(drifts()).toHaveLength(3);
    expect(JSON.stringify(drifts().at(-1)?.detail.drift)).toContain('"item":"encryptionKeyArn"');

    // Nothing secret anywhere: events, logs, the state table.
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: tableNames.state }));
    for (const text of [JSON.stringify(published), logged.join('\n'), JSON.stringify(Items)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('idp.example.com');
    }
  });

  it('accepts the posture as it is now, in the name of who accepted; the next check finds nothing', async () => {
    const accepted = await acceptPosture(deps, networkId, 'arn:aws:sts::123456789012:assumed-role/operators/kim');
    expect(accepted.accepted.map((d) => d.item)).toContain('encryptionKeyArn');
    expect(published.at(-1)).toMatchObject({
      detailType: 'Wickr Posture Accepted',
      detail: { acceptedBy: 'arn:aws:sts::123456789012:assumed-role/operators/kim' },
    });
    expect(await checkPosture(deps, 'Scheduled Event')).toEqual([{ networkId, result: 'unchanged' }]);
  });

  it('counts a burst of bots past maxGrowthPercent as drift, and a network Wickr refuses as unreadable', async () => {
    const bots = Array.from({ length: 5 }, (_, i) => ({ botId: String(7100 + i), username: `b${i}`, groupId: 'sg-1' }));
    const state = fixture.emulator.snapshot();
    fixture.emulator.reset({ networks: state.networks.map((n) => ({ ...n, bots: [...n.bots, ...bots] })) });
    const [found] = await checkPosture(deps, 'Scheduled Event');
    expect(found).toMatchObject({ result: 'drift', drift: [{ item: 'bots', before: 1, after: 6 }] });
    expect(await checkPosture(deps, 'Scheduled Event', ['87654321'])).toEqual([
      { networkId: '87654321', result: 'unreadable', error: expect.any(String) },
    ]);
  });
});
