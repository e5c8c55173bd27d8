import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';

/** `npm run send FILE`, its answer without the progress lines. */
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
      const ready = JSON.parse(line) as Record<string, string> & {
        functionUrls: Record<string, string>;
        principals: unknown;
      };
      expect(Object.keys(ready).sort()).toEqual([
        'busName',
        'dynamodbEndpoint',
        'eventBridgeEndpoint',
        'functionUrls',
        'principals',
        's3Endpoint',
        'ssmEndpoint',
        'wickrEndpoint',
      ]);
      // Two principals by default: the operator decides and overrides, the publisher (any unmapped key) publishes.
      expect(ready.principals).toEqual({
        operator: { accessKeyId: 'operator', arn: 'arn:aws:iam::000000000000:role/local-operators' },
        publisher: { accessKeyId: 'local', arn: 'arn:aws:iam::000000000000:user/local' },
      });
      // The signed webhook's function URL, served on loopback.
      expect(ready.functionUrls.webhooks).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const client = new EventBridgeClient({
        region: 'us-east-1',
        endpoint: ready.eventBridgeEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'b' },
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
      expect(admitted.stdout).toMatch(/^sent Employee Onboarded to wickr-autopilot-local as event \S+/);
      // It waits for the HR batch, says so, and says what became of the employee.
      expect(admitted.stdout).toContain('waiting for the HR batch (window 10 s)…');
      expect(admitted.stdout.trim().split('\n').at(-1)).toMatch(/^E-1001: created in legal \(\S+\)$/);
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

  it('says no stack is running when the endpoints file outlived a stack that crashed, not ECONNREFUSED', async () => {
    const stale = {
      eventBridgeEndpoint: 'http://127.0.0.1:9',
      wickrEndpoint: 'http://127.0.0.1:9',
      dynamodbEndpoint: 'http://127.0.0.1:9',
      busName: 'wickr-autopilot-local',
      region: 'us-east-1',
      stateTable: 'wickr-autopilot-local-state',
    };
    mkdirSync('.wickr-autopilot', { recursive: true });
    writeFileSync('.wickr-autopilot/local.json', JSON.stringify(stale));
    try {
      for (const script of [
        ['infra/ops.ts', 'status', '--local'],
        ['infra/send-event.ts', 'events/incident-declared.json'],
      ]) {
        const run = spawnSync(process.execPath, ['--import', 'tsx', ...script], { encoding: 'utf8' });
        expect([run.status, run.stderr.trim()], script[0]).toEqual([
          2,
          expect.stringMatching(/^no local stack is running at http:\/\/127\.0\.0\.1:9 \(.*npm start -- --serve\)/),
        ]);
      }
    } finally {
      rmSync('.wickr-autopilot/local.json', { force: true });
    }
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
    expect(sent.stdout).toMatch(
      /^sent Incident Declared to wickr-autopilot-local as event \S+\n {2}incidentDeclared attempt 1: succeeded\napplied on 12345678: \d+ group\(s\) changed/m,
    );
    // A Security Hub sample goes to the default bus, where its rule (off here) would listen: said, exit 1.
    const finding = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/send-event.ts', 'events/security-hub-finding.new-critical.json'],
      { encoding: 'utf8' },
    );
    expect(finding.status).toBe(1);
    expect(finding.stdout).toContain('matched no rule on default: nothing acts on aws.securityhub');
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
      // A second stack would silently take over the first one's endpoints file: refused, one line, exit 2.
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--serve'], {
        encoding: 'utf8',
      });
      expect([second.status, second.stderr.trim()]).toEqual([
        2,
        expect.stringMatching(/^a local stack is already running at http:\/\/127\.0\.0\.1:\d+ \(stop it first/),
      ]);
      // The smoke test after a deploy: every hop answered, nothing changed.
      const smoked = ops('smoke', '--wait-seconds', '30');
      expect([smoked.status, smoked.stderr]).toEqual([0, '']);
      expect(smoked.stdout).toMatch(/: PASSED\n {2}ok {3}put → bus \d+ ms\n {2}ok {3}bus → incident function \d+ ms\n/);
      expect(smoked.stdout).toContain('ok   function → Wickr 12345678');
      // A bad value is refused before anything is sent.
      const bad = ops('incidents', 'declare', '--id', 'INC-ops', '--severity', 'SEV9');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('--severity: must be one of SEV1, SEV2, SEV3, SEV4 (nothing was sent)');
      // It waits for what the declaration did, and says it: the groups and fields, not "sent".
      const declared = ops('incidents', 'declare', '--id', 'INC-ops', '--severity', 'SEV1', '--title', 'Breach');
      expect(declared.status).toBe(0);
      expect(declared.stdout).toMatch(
        /^INC-ops \(event [0-9a-f-]+\):\napplied on 12345678: 4 group\(s\) changed, popup changed/,
      );
      expect(declared.stdout).toContain('maxNonSsoSessionMinutes 1440 → 60');
      // One of two incidents resolved: updated, not lifted; a selector that matches nothing: said so, exit 1.
      expect(ops('incidents', 'declare', '--id', 'INC-ops-2', '--severity', 'SEV3').status).toBe(0);
      const updated = ops('incidents', 'resolve', '--id', 'INC-ops-2');
      expect([updated.status, updated.stdout.split('\n')[1]]).toEqual([0, 'updated on 12345678: 0 group(s) changed']);
      const nothing = ops('incidents', 'declare', '--id', 'INC-typo', '--severity', 'SEV2', '--groups', 'nope*');
      expect([nothing.status, nothing.stdout.split('\n')[1]]).toEqual([
        1,
        'matched no group on 12345678 (nope*): nothing was locked',
      ]);
      expect(ops('incidents', 'resolve', '--id', 'INC-typo').status).toBe(0);
      expect(ops('incidents', 'release-all', '--network', '12345678').stderr).toContain(
        'needs --override and --reason',
      );
      // The default stack's operator decides: a decision for a hold that does not exist is refused by the entry point.
      const ahead = ops(
        'holds',
        'approve',
        'hr-12345678-20261207t0300-1',
        '--revision',
        '0123456789ab',
        '--count',
        '1',
      );
      expect([ahead.status, ahead.stderr]).toEqual([
        1,
        'holds approve: no hold hr-12345678-20261207t0300-1: a decision cannot precede its hold',
      ]);
      // The publisher (any unmapped key) is not the operators' role.
      const publisher = ops('holds', 'reject', 'hr-12345678-20261207t0300-1', '--as', 'local');
      expect(publisher.stderr).toContain(
        "arn:aws:iam::000000000000:user/local may not decide holds: only the operators' role",
      );
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
        groupName: 'engineering',
        field: 'maxNonSsoSessionMinutes',
        original: 1440,
        set: 60,
      });
      // Only what the lockdown changed is shown as held, by group name too.
      for (const f of networks[0].heldFields) expect(f.original, `${f.groupId} ${f.field}`).not.toEqual(f.set);
      expect(ops('status').stdout).toContain('held engineering (sg-engineering) maxNonSsoSessionMinutes: 1440 → 60');
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
      // Text by default; an unknown employee says so and exits 1.
      const text = ops('hr', 'employee', 'E-1001').stdout;
      expect(text).toMatch(/^employee E-1001 on 12345678: active in legal \(latest fact /);
      // Groups by name and id, as a person reads them.
      expect(text).toMatch(/\n {2}Wickr: user \S+, active, groups legal \(\S+\)$/m);
      const unknown = ops('hr', 'employee', 'E-NOBODY');
      expect([unknown.status, unknown.stdout.trim()]).toEqual([
        1,
        'no employee E-NOBODY on network 12345678: no fact about them was recorded',
      ]);
      // The kill switch works on the stack the README starts: signed by its operator, an incident publisher.
      const released = ops('incidents', 'release-all', '--network', '12345678', '--override', '--reason', 'drill');
      expect([released.status, released.stdout]).toEqual([
        0,
        expect.stringMatching(
          /INC-ops \(event \S+\):\nlifted on 12345678: \d+ group\(s\) changed, popup changed \(override by arn:aws:iam::000000000000:role\/local-operators\)/,
        ),
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // A hang guard for about 30 commands, each a fresh Node process: 120 s was too tight for a CI machine whose two
    // cores also ran three other suites (it timed out there).
  }, 300_000);

  it('breaks glass: an override resolves a Security Hub lockdown, release-all lifts every one, each audited', async () => {
    const oncall = 'arn:aws:iam::000000000000:role/oncall';
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', 'infra/local/start.ts', '--serve', '--quiet'],
        ...['--param', `incidentPublishers=${oncall}`, '--param', 'securityHubEnabled=true'],
        ...['--identity', `ONCALL=${oncall}`],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const run = (script: string, ...args: string[]) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
      };
      const ops = (...args: string[]) => run('infra/ops.ts', ...args, '--local', '--as', 'ONCALL');
      // A critical finding locks the network (the sample reaches the default bus, from an account the stack accepts).
      const finding = run('infra/send-event.ts', 'events/security-hub-finding.new-critical.json');
      expect(finding.stdout).toContain('applied on 12345678');
      expect(ops('incidents', 'declare', '--id', 'INC-9', '--severity', 'SEV2').status).toBe(0);
      const { networks } = JSON.parse(ops('status', '--json').stdout);
      const sh = networks[0].activeIncidents.find((i: { incidentId: string }) => i.incidentId.startsWith('SH-'));
      // Only its channel may resolve it — or the incident publishers' override, with a reason, audited.
      const plain = ops('incidents', 'resolve', '--id', sh.incidentId);
      expect([plain.status, plain.stdout.split('\n')[1]]).toEqual([
        1,
        'ignored on 12345678: another channel declared this incident; only it, or an override, resolves it',
      ]);
      const override = ops('incidents', 'resolve', '--id', sh.incidentId, '--override', '--reason', 'false positive');
      expect(override.status).toBe(0);
      expect(override.stdout).toContain(
        `updated on 12345678: 4 group(s) changed, popup changed (override by ${oncall})`,
      );
      expect(override.stdout).toContain('maxNonSsoSessionMinutes 60 → 240');
      // The kill switch: every lockdown on the network lifted, restored exactly.
      const released = ops('incidents', 'release-all', '--network', '12345678', '--override', '--reason', 'drill');
      expect(released.status).toBe(0);
      expect(released.stdout).toMatch(/INC-9 \(event \S+\):\nlifted on 12345678: 4 group\(s\) changed/);
      expect(JSON.parse(ops('status', '--json').stdout).networks[0]).toMatchObject({
        locked: false,
        activeIncidents: [],
      });
      const audit = JSON.parse(ops('audit', '--since', '1h', '--json').stdout).entries as {
        detailType: string;
        detail: Record<string, unknown>;
      }[];
      const overrides = audit.filter((e) => e.detail.override === true);
      expect(overrides.map((e) => [e.detailType, e.detail.reason, e.detail.requestedBy, e.detail.actor])).toEqual([
        ['Wickr Lockdown Updated', 'false positive', oncall, 'incidentResolved'],
        ['Wickr Lockdown Lifted', 'drill', oncall, 'incidentResolved'],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);

  it('npm run send answers every fact: a containment, a finding below the bar, a contained account, a duplicate, a refusal', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'infra/local/start.ts', '--serve', '--quiet', '--param', 'guardDutyEnabled=true'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    try {
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
      // An Okta sample on a stack that does not connect Okta: which parameter to set, not a bare "does not exist".
      const okta = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'infra/send-event.ts', 'events/okta-user-activated.json'],
        {
          encoding: 'utf8',
        },
      );
      expect([okta.status, okta.stderr]).toEqual([
        1,
        expect.stringContaining('start the stack with --param oktaEventSource=aws.partner/okta.com/'),
      ]);
      // Removing the stack now would leave Dana suspended with nothing to release her: removal-check says so.
      const check = spawnSync(process.execPath, ['--import', 'tsx', 'infra/ops.ts', 'removal-check', '--local'], {
        encoding: 'utf8',
      });
      expect(check.status).toBe(1);
      expect(check.stdout).toMatch(
        /^user \d+ on 12345678 is contained with open case\(s\) GD-d2c4a6e8f0b1c3d5e7f9a1b3c5d7e9f1, IR-42: npm run --silent ops -- accounts release --user E-1001 --case GD-/m,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
