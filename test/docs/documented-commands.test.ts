/**
 * Every command the README, docs/ and the commands' `--help` show, run as written on the stack `npm start -- --serve`
 * gives (issue 37): a non-zero exit the text does not announce fails, and so does a stack trace. Commands that need
 * AWS or run for minutes are named with the test that runs them instead; a command no rule claims fails the test, so
 * a new one in the docs is walked or explained.
 *
 * It runs in a directory of its own (links to this checkout) so that its stack's `.wickr-autopilot/local.json` and the
 * files the commands write (`my-policy.yml`, `review.csv`) never meet another suite's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DocumentedCommand, documentedCommands } from '../support/documented-commands.js';
import { type Served, shadowCheckout } from '../support/shadow-checkout.js';

const root = process.cwd();

/** The `Example:` line of each command's `--help`, as a block of its own. */
function helpExamples(): DocumentedCommand[] {
  const scripts = ['start', 'send', 'ops', 'emulator', 'policy:plan', 'policy:validate', 'policy:schema'];
  const more = ['bench', 'test:load', 'test:reliability'];
  return [...scripts, ...more].flatMap((script) => {
    const help = spawnSync('npm', ['run', '--silent', script, '--', '--help'], { encoding: 'utf8' }).stdout;
    return [...help.matchAll(/^Example: (.+)$/gm)].map((m) => ({
      where: `npm run ${script} -- --help`,
      command: (m[1] as string).trim(),
      comment: '',
      output: [],
      block: 'help',
    }));
  });
}

/** Commands not run here, each with the test (or CI step) that runs it and the line there that proves it. */
const elsewhere: { pattern: RegExp; file: string; needle: string; why: string }[] = [
  { pattern: /^npm (ci|test)$/, file: '.ci/run', needle: 'npm ci', why: 'CI runs them on a clean clone' },
  {
    pattern: /^npx osls deploy /,
    file: 'test/infra/serverless-template.test.ts',
    needle: "'package'",
    why: 'a deploy needs AWS; the template it deploys is packaged and checked',
  },
  {
    pattern: /--stage /,
    file: 'test/journeys/first-deploy.test.ts',
    needle: 'smoke',
    why: 'a deployed stage needs AWS; the smoke test and preflight run against stand-ins',
  },
  {
    pattern: /^npm run (bench|test:load|test:reliability) /,
    file: 'test/reliability/chaos.test.ts',
    needle: 'chaos',
    why: 'runs for minutes; its CI-sized chaos, load and bench verdicts run in npm test',
  },
];

/** A usage synopsis (`(--local | --stage S)`), not a command. */
const synopsis = /\([^)]*\|[^)]*\)/;

/** A command that serves until stopped: it is ready at its first JSON line. */
const server = /^npm (start|run( --silent)? start) -- --serve|^npm run( --silent)? emulator /;

const { dir, serve, stop, run } = shadowCheckout('docs-walk-', ['review.csv', 'my-policy.yml']);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The exit status the text announces (`# … exit 1`), 0 otherwise. */
const announced = (c: DocumentedCommand) =>
  Number(/\bexit (\d)\b/.exec(`${c.comment} ${c.output.join(' ')}`)?.[1] ?? 0);

/** The hold the `ID`, `R` and `N` of a holds command stand for: a roster that leaves one more person out makes one. */
let heldCount = 0;
let hold: { id: string; revision: string; count: string } | undefined;
function aHold() {
  if (hold) return hold;
  const rows = readFileSync(join(root, 'examples/roster.csv'), 'utf8').trim().split('\n');
  const provisioned = rows.filter((r) => /^E-\d+,[^,]+@[^,]+\.\w+,.*,active,/.test(r));
  if (heldCount === 0) {
    writeFileSync(join(dir, 'roster-all.csv'), `${rows.join('\n')}\n`);
    expect(run('npm run --silent ops -- roster upload roster-all.csv --local').status).toBe(0);
  }
  const left = provisioned[heldCount++ % provisioned.length] as string;
  const file = `roster-hold-${heldCount}.csv`;
  writeFileSync(join(dir, file), `${rows.filter((r) => r !== left).join('\n')}\n`);
  const uploaded = run(`npm run --silent ops -- roster upload ${file} --local`);
  const id = /held in (\S+),/.exec(uploaded.stdout)?.[1];
  if (!id) throw new Error(`no hold from ${file}: ${uploaded.stdout}${uploaded.stderr}`);
  const shown = run(`npm run --silent ops -- holds show ${id} --local`).stdout;
  const decide = /--revision (\w+) --count (\d+)/.exec(shown);
  if (!decide) throw new Error(`holds show ${id} named no revision: ${shown}`);
  hold = { id, revision: decide[1] as string, count: decide[2] as string };
  return hold;
}

/** The command with the text's placeholders filled in from what the walk has. */
function filled(command: string): string {
  let c = command
    .replace(/\s*\[-- FILE\]/, '')
    .replace(/"…"/g, '"docs walk"')
    .replace(/SH-…/g, 'SH-docs-walk');
  if (/\bholds (show|approve|reject) ID\b/.test(c)) {
    const h = aHold();
    c = c.replace(/\bID\b/, h.id).replace(/--revision R\b/, `--revision ${h.revision}`);
    c = c.replace(/--count N\b/, `--count ${h.count}`);
    if (/\bholds (approve|reject)\b/.test(c)) hold = undefined;
  }
  return c;
}

const all = [...documentedCommands(root), ...helpExamples()];
const walked = all.filter((c) => !synopsis.test(c.command) && !elsewhere.some((e) => e.pattern.test(c.command)));
/** The README's first `npm start -- --serve`: the stack every block without a server of its own runs on. */
const defaultStack = walked.find((c) => /^npm start -- --serve &$/.test(c.command));

describe('the documented commands', () => {
  it('finds the README’s commands, its stack among them', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(defaultStack?.where).toMatch(/^README\.md:/);
  });

  it('names, for each command it does not run, the test that runs it', () => {
    for (const rule of elsewhere) {
      expect(existsSync(join(root, rule.file)), rule.file).toBe(true);
      expect(readFileSync(join(root, rule.file), 'utf8'), rule.file).toContain(rule.needle);
      expect(
        all.some((c) => rule.pattern.test(c.command)),
        `${rule.pattern}: no documented command left`,
      ).toBe(true);
    }
  });

  it('runs every other one as written, on the stack npm start -- --serve gives, and each ends as its text says', async () => {
    // One stack at a time: the blocks that start a stack of their own first, then the README's stack for the rest,
    // so what one block did (an employee onboarded, a hold) is there for the blocks after it; --help's last.
    const startsStack = (c: DocumentedCommand) =>
      c !== defaultStack && /^npm (start|run start) -- --serve/.test(c.command);
    const blocks = [...new Set(walked.map((c) => c.block))];
    const own = (block: string) => block !== 'help' && walked.some((c) => c.block === block && startsStack(c));
    const ordered = [...blocks.filter(own), ...blocks.filter((b) => !own(b) && b !== 'help'), 'help'];
    const failures: string[] = [];
    let stack: Served | undefined;
    try {
      // A command written in several places runs once (the same words, the same answer); a block whose every
      // command already ran is not started again (README's and local-runtime's own-stack blocks are one).
      const ran = new Set<string>();
      for (const block of ordered) {
        const emulators: Served[] = [];
        let replaced = false;
        const commands = walked.filter((w) => w.block === block && w !== defaultStack);
        if (commands.every((c) => server.test(c.command) || ran.has(c.command))) continue;
        try {
          for (const c of commands) {
            if (server.test(c.command)) {
              if (startsStack(c)) {
                await stop(stack);
                stack = undefined;
              }
              const served = await serve(c.command).catch((e: Error) => failures.push(`${c.where}: ${e.message}`));
              if (typeof served === 'number') continue;
              // A --help example is tried in a terminal of its own: its emulator serves the examples after it.
              const keep = c.command.endsWith('&') || (block === 'help' && !startsStack(c));
              if (!keep) await stop(served);
              else if (startsStack(c)) [stack, replaced] = [served, true];
              else emulators.push(served);
              continue;
            }
            if (ran.has(c.command)) continue;
            ran.add(c.command);
            stack ??= await serve((defaultStack as DocumentedCommand).command);
            const command = filled(c.command);
            const done = run(command, { BUS: String(stack.ready.eventBridgeEndpoint) });
            const expected = announced(c);
            if (done.status !== expected || /^\s+at .+:\d+:\d+\)?$/m.test(done.stderr)) {
              const said = `${done.stdout}${done.stderr}`.trim().split('\n').slice(0, 6).join('\n  ');
              failures.push(`${c.where}: ${command}\n  exit ${done.status}, the text announces ${expected}\n  ${said}`);
            }
          }
        } finally {
          for (const e of emulators) await stop(e);
          if (replaced) {
            await stop(stack);
            stack = undefined;
          }
        }
      }
    } finally {
      await stop(stack);
    }
    expect(failures).toEqual([]);
  }, 900_000);
});
