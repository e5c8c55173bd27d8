/**
 * Cold start per function: the packaged zip's size, and module init time — the median over fresh processes of
 * importing the bundle — as a ratio to the baseline handler bundled with the same esbuild options, measured in
 * the same run with the runs interleaved.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { loadLocalService, loadServerlessConfig } from '../../infra/local/serverless-config.js';
import { zipEntry } from '../support/zip-entry.js';

const run = promisify(execFile);

/** Cold-start figures of one function. */
export interface ColdStart {
  readonly name: string;
  readonly zipBytes: number;
  readonly bundleBytes: number;
  readonly initMedianMs: number;
  readonly initRatio: number;
}

async function bundle(entry: string, outfile: string): Promise<number> {
  const options = loadServerlessConfig('serverless.yml').custom as { esbuild: Record<string, unknown> };
  const { bundle: _b, exclude: _e, outputFileExtension: _o, sourcemap: _s, ...rest } = options.esbuild;
  await esbuild.build({
    ...(rest as esbuild.BuildOptions),
    bundle: true,
    entryPoints: [entry],
    outfile,
    sourcemap: false,
  });
  return statSync(outfile).size;
}

// One fresh process per sample: the time from start of import to the module being evaluated.
async function initMs(file: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t))`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  return Number(stdout);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** Cold start of every function, the packaged zips built first. Their extracted bundles stay in `dir`. */
export async function coldStarts(
  samples = 15,
): Promise<{ baselineMedianMs: number; functions: ColdStart[]; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wickr-bench-'));
  // Packaged into a folder of its own: the user's .serverless/ (a build they may be about to deploy) stays as it is.
  const artifacts = join(dir, 'package');
  execFileSync('npm', ['run', '--silent', 'package', '--', '--package', artifacts], {
    stdio: 'pipe',
    timeout: 300_000,
  });
  const baseline = join(dir, 'baseline.mjs');
  await bundle('test/bench/baseline-handler.ts', baseline);
  const functions = loadLocalService('serverless.yml').functions;
  // The deployed artifacts themselves, taken out of the packaged zips.
  const files = new Map<string, { file: string; bytes: number }>();
  for (const fn of functions) {
    const file = join(dir, `${fn.name}.mjs`);
    const code = zipEntry(readFileSync(join(artifacts, `${fn.name}.zip`)), `${fn.module}.mjs`);
    writeFileSync(file, code);
    files.set(fn.name, { file, bytes: Buffer.byteLength(code) });
  }
  const times = new Map<string, number[]>([
    ['baseline', []],
    ...functions.map((f) => [f.name, []] as [string, number[]]),
  ]);
  for (let i = 0; i < samples; i++) {
    times.get('baseline')?.push(await initMs(baseline));
    for (const fn of functions) times.get(fn.name)?.push(await initMs(files.get(fn.name)?.file ?? ''));
  }
  const baselineMedianMs = median(times.get('baseline') ?? []);
  return {
    dir,
    baselineMedianMs: Number(baselineMedianMs.toFixed(1)),
    functions: functions.map((fn) => {
      const m = median(times.get(fn.name) ?? []);
      return {
        name: fn.name,
        zipBytes: statSync(join(artifacts, `${fn.name}.zip`)).size,
        bundleBytes: files.get(fn.name)?.bytes ?? 0,
        initMedianMs: Number(m.toFixed(1)),
        initRatio: Number((m / baselineMedianMs).toFixed(3)),
      };
    }),
  };
}
