/**
 * `npm run send` as a user types it, against `npm start -- --serve`: every fact ends in one answer naming its event
 * — applied, unchanged, ignored and why, held, refused — printed within its pipeline's time, exit 0 but for a refusal.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let exited: Promise<number | null>;
beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'infra/local/start.ts', '--serve', '--quiet', '--param', 'guardDutyEnabled=true'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
  );
}, 60_000);
afterAll(async () => {
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

const send = (file: string, ...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/send-event.ts', `events/${file}`, ...args], {
    encoding: 'utf8',
  });
  return {
    status: run.status,
    out: run.stdout
      .split('\n')
      .filter((l) => !/^ {2}|^sent |^waiting /.test(l))
      .join('\n')
      .trim(),
  };
};

describe('npm run send answers every fact', () => {
  it('a containment, a finding below the bar, a case on an account already contained, a duplicate, a refusal', async () => {
    expect(send('employee-onboarded.json').status).toBe(0);
    expect(send('guardduty-finding.json')).toEqual({
      status: 0,
      out: expect.stringMatching(
        /^applied: Wickr Account Contained \(networkId 12345678, userId \d+, employeeId E-1001\)$/,
      ),
    });
    expect(send('guardduty-finding.low-severity.json')).toEqual({
      status: 0,
      out: 'ignored: Wickr Account Fact Ignored (caseId GD-e3d5b7f9a1c2d4e6f8a0b2c4d6e8f0a2): severity 4 is below containment.guardDuty.minimumSeverity',
    });
    expect(send('account-compromised.json')).toEqual({
      status: 0,
      out: expect.stringMatching(
        /^unchanged: Wickr Account Unchanged \(networkId 12345678, userId \d+, employeeId E-1001\)$/,
      ),
    });
    const at = new Date().toISOString();
    expect(send('incident-declared.json', '--time', at).status).toBe(0);
    // The same fact again (its time too), a new event: "already done" is an answer, not silence.
    const again = send('incident-declared.json', '--time', at);
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/^ignored on 12345678: the same fact was taken already, as event \S+$/);
    expect(send('incident-resolved.json').status).toBe(0);
    const refused = send('incident-declared.invalid-missing-severity.json');
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('refused: ');
    // Removing the stack now would leave Dana suspended with nothing to release her: removal-check says so.
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'infra/ops.ts', 'removal-check', '--local'], {
      encoding: 'utf8',
    });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(
      /^user \d+ on 12345678 is contained with open case\(s\) GD-d2c4a6e8f0b1c3d5e7f9a1b3c5d7e9f1, IR-42: npm run --silent ops -- accounts release --user E-1001 --case GD-/m,
    );
  }, 180_000);
});
