import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startWickrEmulator } from '../../infra/local/wickr-emulator/index.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { startDynamoWithTables, tableNames } from '../support/local-dynamodb.js';

const run = promisify(execFile);
const tsx = (script: string, args: string[] = [], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env } });
const emulator = await startWickrEmulator();
afterAll(() => emulator.close());

describe('policy tools', () => {
  it('policy:plan prints the changes a run would make at a chosen time, and changes nothing', async () => {
    const { stdout } = await tsx('infra/policy-plan.ts', ['--network', '12345678', '--at', '2026-11-28T11:00:00Z'], {
      WICKR_ENDPOINT: emulator.endpoint,
      ALLOW_LOCAL_ENDPOINTS: 'true',
    });
    expect(stdout).toContain(
      'Rotation plan for network 12345678 at 2026-11-28T11:00:00.000Z (Europe/Berlin, period 2026-Q4)',
    );
    expect(stdout).toMatch(/engineering \(sg-engineering\)\s+maxNonSsoSessionMinutes\s+1440 → 480/);
    expect(stdout).toMatch(/consentPopup\s+disabled "" → enabled "Acceptable use 2026-Q4"/);
    expect(stdout).toContain('4 groups checked, 1 drifted (25.0%)');
    expect(emulator.journal().filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('policy:plan reads the incident state when given it, and shows the fields a lockdown holds as skipped', async () => {
    const db = await startDynamoWithTables();
    try {
      const store = new IncidentStateStore(documentClient(db.client), tableNames.state);
      const hold = { original: 1440, set: 240, prev: 1440 };
      await store.putGroupLock('12345678', 'sg-engineering', { maxNonSsoSessionMinutes: hold }, undefined);
      const env = { WICKR_ENDPOINT: emulator.endpoint, ALLOW_LOCAL_ENDPOINTS: 'true', DYNAMODB_ENDPOINT: db.endpoint };
      const args = ['--network', '12345678', '--at', '2026-11-28T11:00:00Z', '--state-table', tableNames.state];
      const { stdout } = await tsx('infra/policy-plan.ts', args, env);
      expect(stdout).toContain('fields an active lockdown holds are skipped');
      expect(stdout).toMatch(/sg-engineering\s+maxNonSsoSessionMinutes\s+skipped: held by an active incident lockdown/);
      expect(stdout).toContain('4 groups checked, 0 drifted');
      // Without the state, it says plainly that lockdowns were not considered.
      const blind = await tsx('infra/policy-plan.ts', args.slice(0, 4), env);
      expect(blind.stdout).toContain('incident lockdowns NOT considered');
    } finally {
      await db.close();
    }
  });

  it('policy:validate names the field, the rule and the line of an invalid file', async () => {
    const error = await tsx('infra/validate-policy.ts', ['test/fixtures/policy.invalid.yml']).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stderr: string }).stderr).toContain(
      'incident.playbooks.SEV1.maxNonSsoSessionMinutes (line 23): must be 0 (disabled) or 60–525600',
    );
  });

  it('policy:schema exports a JSON Schema of every section for editors', async () => {
    const { stdout } = await tsx('infra/policy-schema.ts');
    const schema = JSON.parse(stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual([
      'accessReview',
      'containment',
      'hr',
      'incident',
      'networks',
      'posture',
      'rotation',
      'safeguards',
      'sources',
      'version',
    ]);
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'networks', 'incident']));
  });
});
