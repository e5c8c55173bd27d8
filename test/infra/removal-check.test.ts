/** The removal guard: what blocks `osls remove`, and that the plugin refuses unless it is proven safe. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { removalBlockers } from '../../infra/ops/removal-check.js';

describe('removal blockers', () => {
  it('lists each locked network with its incidents and each open hold, each with what to do', () => {
    const blockers = removalBlockers(
      [
        { networkId: '12345678', locked: true, activeIncidents: [{ incidentId: 'INC-7' }] as never },
        { networkId: '87654321', locked: false, activeIncidents: [] },
      ],
      [
        { holdId: 'hr-12345678-20261130t0300-1', status: 'open' },
        { holdId: 'hr-12345678-20261129t0300-1', status: 'approved' },
      ],
      [
        {
          networkId: '12345678',
          userId: '5001',
          employeeId: 'E-1001',
          contained: true,
          openCases: [{ caseId: 'IR-42' }],
        },
        { networkId: '12345678', userId: '5002', contained: false, openCases: [] },
        { networkId: '12345678', userId: 'guest:g7f3a9c1', contained: true, openCases: [{ caseId: 'IR-43' }] },
      ],
      [{ queue: 'HrQueue', functionName: 'hrEvents', messages: 3 }],
    );
    expect(blockers).toEqual([
      expect.stringMatching(/^network 12345678 is locked down by INC-7: .*release-all --network 12345678/),
      expect.stringMatching(/^hold hr-12345678-20261130t0300-1 waits for a decision/),
      'user 5001 on 12345678 is contained with open case(s) IR-42: npm run --silent ops -- accounts release --user E-1001 --case IR-42',
      'guest g7f3a9c1 on 12345678 is contained with open case(s) IR-43: npm run --silent ops -- accounts release --guest g7f3a9c1 --case IR-43',
      '3 message(s) still queued for hrEvents (HrQueue): wait until it has taken them (ops audit shows what they did)',
    ]);
    expect(removalBlockers([], [])).toEqual([]);
  });
});

describe('the osls remove hook', () => {
  const Plugin = createRequire(import.meta.url)('../../infra/serverless-validate-policy.cjs');
  const serverless = {
    serviceDir: process.cwd(),
    processedInput: { commands: ['remove'], options: { stage: 'nowhere', region: 'us-east-1' } },
    service: { provider: { stage: 'nowhere', region: 'us-east-1' } },
    classes: { Error },
  };

  it('refuses to remove when it cannot prove nothing is locked (fails closed)', () => {
    const hook = new Plugin(serverless).hooks['before:remove:remove'];
    const env = { ...process.env };
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_ACCESS_KEY_ID = 'none';
    process.env.AWS_SECRET_ACCESS_KEY = 'none';
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    try {
      expect(() => hook()).toThrow(/^Refusing to remove nowhere/);
      process.env.WICKR_AUTOPILOT_FORCE_REMOVE = '1';
      expect(hook()).toBeUndefined();
    } finally {
      process.env = env;
    }
  }, 60_000);
});
