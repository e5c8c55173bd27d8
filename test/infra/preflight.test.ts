/** The preflight against the Wickr emulator over HTTP: what it reports, that it writes nothing, and its problems. */
import { afterAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../../infra/local/wickr-emulator/index.js';
import { preflight, preflightText } from '../../infra/ops/preflight.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { startEmulatorFixture } from '../support/wickr-emulator.js';

const fixture = await startEmulatorFixture({ seed: demoSeed });
afterAll(() => fixture.emulator.close());
const policy = loadPolicyFile('infra/policy.yml');
const now = new Date('2026-11-28T11:00:00Z');

describe('ops preflight', () => {
  it('reports each severity’s lockdown, the HR departments and the rotation plan, and writes nothing', async () => {
    const [network] = await preflight(fixture.client(), policy, now);
    expect(network).toMatchObject({ networkId: '12345678', reachable: true, problems: [] });
    const sev1 = network?.lockdowns.find((l) => l.severity === 'SEV1');
    expect(sev1?.changes).toContainEqual({
      group: 'engineering',
      field: 'maxNonSsoSessionMinutes',
      from: 1440,
      to: 60,
    });
    expect(sev1?.popup).toBe(true);
    expect(network?.departments).toContainEqual({ department: 'Engineering', group: 'engineering', exists: true });
    expect(network?.departments).toContainEqual({ department: 'Audit', group: 'audit', exists: false });
    expect(network?.rotation).toMatchObject({ checked: 4 });
    // The groups rotation would change, named as a person reads them.
    expect(network?.rotation?.drifted).toBeGreaterThan(0);
    expect(network?.rotation?.changing).toHaveLength(network?.rotation?.drifted ?? -1);
    for (const g of network?.rotation?.changing ?? []) expect(g).toMatch(/^[\w -]+ \(\S+\)$/);
    expect(fixture.emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
    expect(preflightText('arn:aws:iam::123456789012:role/deployer', [network as never])).toContain(
      'engineering: maxNonSsoSessionMinutes 1440 → 60',
    );
  });

  it('names a network that does not answer, and a selector that would select nothing, as problems', async () => {
    const broken = {
      ...policy,
      networks: [...policy.networks, { networkId: '99999999' }],
      sources: {
        ...policy.sources,
        pagerduty: { services: ['PSEC001'], priorities: {}, urgency: {}, groups: { namePatterns: ['no-such-*'] } },
      },
    };
    const networks = await preflight(fixture.client(), broken as typeof policy, now);
    expect(networks.find((n) => n.networkId === '99999999')).toMatchObject({ reachable: false });
    expect(networks.flatMap((n) => n.problems)).toEqual([
      expect.stringContaining('sources.pagerduty.groups selects nothing for no-such-*'),
      expect.stringContaining('network 99999999'),
    ]);
  });
});
