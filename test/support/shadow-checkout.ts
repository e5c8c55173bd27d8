/**
 * A checkout of this project in a directory of its own (links to each entry but the local state), where commands
 * run as a user types them: its stack's `.wickr-autopilot/local.json` and the files commands write never meet
 * another suite's, so suites that each serve a stack run side by side.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A walk's stack (or emulator), stopped when the walk is done with it. */
export interface Served {
  readonly child: ChildProcess;
  readonly ready: Record<string, unknown>;
  readonly stopped: Promise<number | null>;
}

/** A shadow checkout under a new temporary directory (`prefix`), leaving out `own` (files its commands write). */
export function shadowCheckout(prefix: string, own: readonly string[] = []) {
  const root = process.cwd();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of readdirSync(root)) {
    if (!['.wickr-autopilot', '.serverless', '.git', ...own].includes(entry)) {
      symlinkSync(join(root, entry), join(dir, entry));
    }
  }

  /** Starts a command that serves until stopped; ready at its first JSON line. */
  async function serve(command: string): Promise<Served> {
    const child = spawn('bash', ['-c', `exec ${command.replace(/\s*&$/, '')}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stopped = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const line = await new Promise<string>((resolve, reject) => {
      lines.on('line', (l) => l.startsWith('{') && resolve(l));
      stopped.then((code) => reject(new Error(`${command} exited ${code} before it was ready: ${stderr.trim()}`)));
    });
    // Drain what it says afterwards, so a full pipe never stalls it.
    child.stdout?.resume();
    return { child, ready: JSON.parse(line), stopped };
  }

  /** Stops what `serve` started, and waits for it to exit. */
  async function stop(served: Served | undefined): Promise<void> {
    if (!served) return;
    served.child.kill('SIGTERM');
    await served.stopped;
  }

  /** Runs a command line as a shell would, in the checkout. */
  function run(command: string, env: Record<string, string> = {}) {
    const done = spawnSync('bash', ['-c', command], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 180_000,
    });
    return { status: done.status, stdout: done.stdout, stderr: done.stderr };
  }

  return { dir, serve, stop, run };
}
