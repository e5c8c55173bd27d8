import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';

describe('npm start -- --serve', () => {
  it('prints one JSON ready line and serves PutEvents until SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--serve'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const ready = JSON.parse(line) as Record<string, string>;
      expect(Object.keys(ready).sort()).toEqual([
        'busName',
        'dynamodbEndpoint',
        'eventBridgeEndpoint',
        'wickrEndpoint',
      ]);
      const client = new EventBridgeClient({
        region: 'us-east-1',
        endpoint: ready.eventBridgeEndpoint,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const answer = await client.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: ready.busName, Source: 'x', DetailType: 'y', Detail: '{}' },
            {
              EventBusName: ready.busName,
              Source: 'security.incidents',
              DetailType: 'Incident Declared',
              Detail: JSON.stringify({ incidentId: 'INC-live' }),
            },
          ],
        }),
      );
      expect(answer.FailedEntryCount).toBe(0);
      // A live line per invocation as it ends, with the reason of a refusal.
      const live = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      expect(live).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} incidentDeclared Incident Declared \S+ attempt 1: refused in \d+ ms, 0 Wickr calls — InputRejectedError: .*detail\.severity/,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('enforces the bus policy it deploys: only the named HR publisher may put HR events (--param, --identity)', async () => {
    const hr = 'arn:aws:iam::000000000000:role/hr-system';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'infra/local/start.ts',
        '--serve',
        '--param',
        `hrPublishers=${hr}`,
        '--identity',
        `HRKEY=${hr}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const ready = JSON.parse(line) as Record<string, string>;
      const as = (accessKeyId: string) =>
        new EventBridgeClient({
          region: 'us-east-1',
          endpoint: ready.eventBridgeEndpoint,
          credentials: { accessKeyId, secretAccessKey: 'secret' },
          maxAttempts: 1,
        });
      const joiner = {
        EventBusName: ready.busName,
        Source: 'hr.system',
        DetailType: 'Employee Onboarded',
        Detail: JSON.stringify({ employeeId: 'E-9', username: 'e9@example.com', department: 'Legal' }),
      };
      // Anyone else in the account: refused as EventBridge refuses, whole request, nothing delivered.
      const refused = await as('INSIDER')
        .send(new PutEventsCommand({ Entries: [joiner] }))
        .catch((e: Error) => e);
      expect(refused).toMatchObject({ name: 'AccessDeniedException' });
      expect((refused as Error).message).toContain('explicit deny in a resource-based policy');
      // What came in from outside (the functions' own outcome events aside).
      const events = async () =>
        (
          (await (await fetch(`${ready.eventBridgeEndpoint}/_local/events`)).json()) as {
            events: { event: { source: string } }[];
          }
        ).events.filter((e) => e.event.source !== 'wickr.autopilot');
      expect(await events()).toEqual([]);
      // The named publisher passes, and other sources stay open to the account.
      expect((await as('HRKEY').send(new PutEventsCommand({ Entries: [joiner] }))).FailedEntryCount).toBe(0);
      const other = { ...joiner, Source: 'someone.else' };
      expect((await as('INSIDER').send(new PutEventsCommand({ Entries: [other] }))).FailedEntryCount).toBe(0);
      expect(await events()).toHaveLength(2);
      // The send helper signs as `local` unless told which mapped key to use, and says so when refused.
      const send = (...args: string[]) =>
        spawnSync(
          process.execPath,
          ['--import', 'tsx', 'infra/send-event.ts', 'events/employee-onboarded.json', ...args],
          {
            encoding: 'utf8',
          },
        );
      const denied = send();
      expect(denied.status).toBe(1);
      expect(denied.stderr).toContain('AccessDeniedException');
      expect(denied.stderr).toContain('with --as KEY');
      const admitted = send('--as', 'HRKEY');
      expect(admitted.status).toBe(0);
      expect(admitted.stdout).toMatch(/^sent Employee Onboarded as event \S+/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('explains itself with --help, and refuses an unknown option in one line with exit 2', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], { encoding: 'utf8' });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--policy FILE');
    expect(help.stdout).toContain('Example: npm start --');
    const bad = run('--bogus');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("Unknown option '--bogus' (see npm run start -- --help)");
    const pair = run('--param', 'nokey');
    expect(pair.status).toBe(2);
    expect(pair.stderr.trim()).toBe('--param nokey: expected key=value');
  });

  it('stops every server it started when npm itself gets SIGTERM, and forgets its endpoints file', async () => {
    const child = spawn('npm', ['start', '--silent', '--', '--serve', '--quiet', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const ready = JSON.parse(line) as Record<string, string>;
    expect(JSON.parse(readFileSync('.wickr-autopilot/local.json', 'utf8'))).toMatchObject(ready);
    // `npm run send` finds it there and puts a sample envelope on it, printing what it caused.
    const sent = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/send-event.ts', 'events/incident-declared.json'],
      {
        encoding: 'utf8',
      },
    );
    expect(sent.status).toBe(0);
    expect(sent.stdout).toMatch(/^sent Incident Declared as event \S+\n {2}incidentDeclared attempt 1: succeeded$/m);
    child.kill('SIGTERM');
    await exited;
    // The node process behind npm, tsx and the shell is gone: nothing answers on its ports any more.
    await new Promise((r) => setTimeout(r, 2_000));
    await expect(fetch(`${ready.eventBridgeEndpoint}/_local/`)).rejects.toThrow();
    await expect(fetch(`${ready.wickrEndpoint}/_emulator/`)).rejects.toThrow();
    expect(existsSync('.wickr-autopilot/local.json')).toBe(false);
  });

  it('serves the ops CLI: break-glass declaration, status, failures, audit, redrive, an employee', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--serve', '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const ops = (...args: string[]) => {
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/ops.ts', ...args, '--local'], {
          encoding: 'utf8',
        });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr.trim() };
      };
      const drain = () => {
        const { eventBridgeEndpoint } = JSON.parse(readFileSync('.wickr-autopilot/local.json', 'utf8'));
        return fetch(`${eventBridgeEndpoint}/_local/drain`, { method: 'POST' }).then((r) => r.text());
      };
      // A bad value is refused before anything is sent.
      const bad = ops('incidents', 'declare', '--id', 'INC-ops', '--severity', 'SEV9');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--severity: must be one of SEV1, SEV2, SEV3, SEV4 (nothing was sent)');
      expect(ops('incidents', 'declare', '--id', 'INC-ops', '--severity', 'SEV1', '--title', 'Breach').status).toBe(0);
      await drain();
      // A rotation tick, which status reports from the audit trail.
      const { eventBridgeEndpoint } = JSON.parse(readFileSync('.wickr-autopilot/local.json', 'utf8'));
      await fetch(`${eventBridgeEndpoint}/_local/schedules/wickr-autopilot-local-rotation-hourly/fire`, {
        method: 'POST',
        body: JSON.stringify({ time: '2026-11-28T11:00:00Z' }),
      }).then((r) => r.text());
      await drain();
      const { networks } = JSON.parse(ops('status', '--json').stdout);
      expect(networks[0].lastRotation).toMatchObject({ at: '2026-11-28T11:00:00.000Z', status: 'rotated' });
      expect(networks[0]).toMatchObject({
        networkId: '12345678',
        locked: true,
        activeIncidents: [{ incidentId: 'INC-ops', severity: 'SEV1', title: 'Breach' }],
        popupHeld: true,
        behind: false,
        lastReconciledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(networks[0].heldFields).toContainEqual({
        groupId: 'sg-engineering',
        field: 'maxNonSsoSessionMinutes',
        original: 1440,
        set: 60,
      });
      // A refused event waits in its failure queue with its reason; redriven, it is refused again.
      spawnSync(process.execPath, [
        '--import',
        'tsx',
        'infra/send-event.ts',
        'events/incident-declared.invalid-missing-severity.json',
      ]);
      const failures = JSON.parse(ops('failures', '--json').stdout).failures;
      expect(failures).toEqual([
        expect.objectContaining({
          function: 'incidentDeclared',
          errorType: 'InputRejectedError',
          reason: expect.stringMatching(/detail\.severity/),
        }),
      ]);
      expect(ops('redrive', '--json').stderr).toContain('pass --all, --id MESSAGE_ID or --function NAME');
      expect(ops('redrive', '--id', failures[0].messageId, '--json').stdout).toContain('"redriven": 1');
      await drain();
      expect(JSON.parse(ops('failures', '--json').stdout).failures).toHaveLength(1);
      const audit = JSON.parse(ops('audit', '--since', '1h', '--json').stdout).entries;
      expect(audit.map((e: { detailType: string }) => e.detailType)).toContain('Wickr Lockdown Applied');
      spawnSync(process.execPath, ['--import', 'tsx', 'infra/send-event.ts', 'events/employee-onboarded.json']);
      const employee = JSON.parse(ops('hr', 'employee', 'E-1001', '--json').stdout);
      expect(employee).toMatchObject({
        record: { onboarded: true, applied: { status: 'active' } },
        wickrUser: { suspended: false },
      });
      expect(JSON.stringify(employee)).not.toMatch(/example\.com/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
