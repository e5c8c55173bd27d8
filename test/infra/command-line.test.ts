/** Every command explains itself and refuses bad input in one line with exit 2 — run as real processes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../infra/command-line.js';
import { loadServerlessConfig } from '../../infra/local/serverless-config.js';
import { readSeedFile } from '../../infra/local/wickr-emulator/seed-file.js';
import { parameterRules } from '../../infra/parameters.js';

const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: (error as { code?: number } | null)?.code ?? 0, stdout, stderr }),
    );
  });

const commands = {
  'policy:validate': 'infra/validate-policy.ts',
  'policy:schema': 'infra/policy-schema.ts',
  'policy:plan': 'infra/policy-plan.ts',
  emulator: 'infra/local/wickr-emulator/cli.ts',
  'test:reliability': 'test/reliability/run-chaos.ts',
  'test:load': 'test/load/run.ts',
  bench: 'test/bench/run.ts',
  start: 'infra/local/start.ts',
  send: 'infra/send-event.ts',
  ops: 'infra/ops.ts',
};

describe('command lines', () => {
  it.each(Object.entries(commands))(
    '%s --help says what it does, its options and an example',
    async (_name, script) => {
      const { code, stdout } = await tsx(script, ['--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^npm (start|run [a-z:]+) --/);
      expect(stdout).toContain('--help');
      expect(stdout).toMatch(/\nExample: /);
    },
  );

  it.each(Object.entries(commands))('%s refuses an unknown option in one line, exit 2', async (name, script) => {
    const { code, stderr } = await tsx(script, ['--latencyMS', '5']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`Unknown option '--latencyMS' (see npm run ${name} -- --help)`);
  });

  it.each([
    ['test:reliability', ['--size', 'abc'], '--size must be an integer from 1 to 200, got abc'],
    ['test:load', ['--scale', '2'], '--scale must be a number from 0.001 to 1, got 2'],
    ['emulator', ['--port', '99999'], '--port must be an integer from 0 to 65535, got 99999'],
    ['emulator', ['--access-key-id', 'X'], '--access-key-id and --secret-access-key go together'],
    ['emulator', ['--seed', 'no-such.json'], '--seed: no file no-such.json'],
    ['policy:plan', ['--network', '99999999'], '--network 99999999 is not in infra/policy.yml (it manages 12345678)'],
    ['policy:validate', ['no-such.yml'], 'FILE: no file no-such.yml'],
  ] as const)('%s %j: one line naming the option, exit 2', async (name, args, message) => {
    const { code, stderr } = await tsx(commands[name], [...args]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`${message} (see npm run ${name} -- --help)`);
  });

  it('npm start --seed with networks the policy does not manage says so instead of refusing every event', async () => {
    const seed = join(mkdtempSync(join(tmpdir(), 'seed-')), 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({ networks: [{ networkId: '99999999', networkName: 'x', securityGroups: [] }] }),
    );
    const { code, stderr } = await tsx(commands.start, ['--seed', seed]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "the policy's networks 12345678 are not in it (it has 99999999); pass --policy FILE naming its networks, or seed them",
    );
    writeFileSync(seed, '{"networks":[{"networkId":"1"}]}');
    expect((await tsx(commands.start, ['--seed', seed])).stderr).toMatch(/networks\.0\.networkId: /);
    // The other way round: a policy naming networks the emulator lacks.
    const policy = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.yml');
    writeFileSync(
      policy,
      readFileSync('infra/policy.yml', 'utf8').replace('networkId: "12345678"', 'networkId: "87654321"'),
    );
    const other = await tsx(commands.start, ['--policy', policy]);
    expect([other.code, other.stderr.trim()]).toEqual([
      2,
      `--policy ${policy}: its networks 87654321 are not in the emulator (the demo network 12345678); pass --seed FILE with them (see npm run start -- --help)`,
    ]);
  });

  it.each([
    [
      'incidentPublisher=arn:aws:iam::000000000000:role/x',
      '--param incidentPublisher: no such parameter; did you mean incidentPublishers?',
    ],
    [
      'wickrRequestsPerSecond=abc',
      '--param wickrRequestsPerSecond=abc: must be a number of requests per second above 0, at most 1000',
    ],
    ['hrBatchSize=0', '--param hrBatchSize=0: must be a whole number from 1 to 10000'],
    ['hrPublishers=someone', '--param hrPublishers=someone: must be empty, or comma-separated IAM principal ARNs'],
    ['guardDutyEnabled=yes', '--param guardDutyEnabled=yes: must be true or false'],
    [
      'webhookSecret=short',
      '--param webhookSecret: must be at least 32 characters (an HMAC key one could guess authenticates no one) (see npm run start -- --help)',
    ],
  ])('npm start --param %s: one line naming the parameter and the rule, exit 2', async (param, message) => {
    const { code, stderr } = await tsx(commands.start, ['--param', param]);
    expect([code, stderr.trim()]).toEqual([2, message]);
  });

  it('has a rule for every parameter serverless.yml declares', () => {
    const declared = Object.keys(
      (loadServerlessConfig('serverless.yml').params as { default: Record<string, unknown> }).default,
    ).sort();
    expect(Object.keys(parameterRules).sort()).toEqual(declared);
  });

  it('turns a configuration error into one line naming the variable and the fix, exit 2 (no stack trace)', async () => {
    const { code, stderr } = await tsx(commands['policy:plan'], ['--network', '12345678'], {
      WICKR_ENDPOINT: 'http://127.0.0.1:4010',
    });
    expect([code, stderr.trim()]).toEqual([
      2,
      'environment: WICKR_ENDPOINT: must be https:// on a host under amazonaws.com (set ALLOW_LOCAL_ENDPOINTS=true for a local emulator) (see npm run policy:plan -- --help)',
    ]);
  });

  it('reads the README’s example seed as the emulator’s seed format', () => {
    const seed = readSeedFile('emulator', 'examples/my-network.json');
    expect(seed.networks.map((n) => [n.networkId, n.securityGroups.map((g) => g.id), n.users.length])).toEqual([
      ['12345678', ['sg-default', 'sg-sales'], 1],
    ]);
  });

  it('policy:schema --out writes the schema alone to the file', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'schema-')), 'policy.schema.json');
    expect((await tsx(commands['policy:schema'], ['--out', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ title: 'wickr-autopilot policy file' });
  });
});

describe('terminal output', () => {
  it('drops escape sequences, controls and bidi overrides from what ops prints, keeping newlines', () => {
    const hostile =
      'reason: \u001b[2J\u001b[31mcleared\u001b[0m\u001b]0;title\u0007 ok\r\u0008\u202Egnp.exe\nnext line';
    expect(forTerminal(hostile)).toBe('reason: cleared okgnp.exe\nnext line');
  });
});
