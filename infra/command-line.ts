/**
 * The project's commands read their options alike: `--help` prints what the command does, its options with
 * defaults and an example; an unknown option or a malformed value is one line naming it, pointing to `--help`,
 * and exit code 2 — never a stack trace.
 */
import { existsSync } from 'node:fs';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** Exits 2 with one line naming the problem. */
export function refuse(message: string, command: string): never {
  console.error(`${message} (see npm run ${command} -- --help)`);
  process.exit(2);
}

/**
 * Refuses a fact built from options that its schema refused: the first problem, named by the option that set the
 * field (`--severity`), and that nothing was sent; exit 2.
 */
export function refuseFieldIssue(
  issue: { field: string; reason: string } | undefined,
  options: Readonly<Record<string, string>>,
  command: string,
): never {
  const field = issue?.field.replace(/^detail\./, '').replace(/\..*$/, '') ?? '';
  refuse(`${options[field] ?? issue?.field}: ${issue?.reason} (nothing was sent)`, command);
}

/** Parses `process.argv` for a command, handling `--help` and unknown options. */
export function commandLine<const O extends ParseArgsOptionsConfig>(
  command: string,
  help: string,
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
) {
  const config = { options: { ...options, help: { type: 'boolean' as const } }, allowPositionals: positionals };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    // Node's own hint about positionals after `--` only confuses here.
    refuse(
      (error as Error).message.split('\n')[0]?.replace(/\. To specify a positional .*$/, '') ?? 'bad arguments',
      command,
    );
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    process.exit(0);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A numeric option within bounds, or exit 2 naming it. */
export function numberOption(
  command: string,
  name: string,
  raw: unknown,
  { min, max, integer = false }: { min: number; max: number; integer?: boolean },
): number {
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    refuse(
      `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${String(raw)}`,
      command,
    );
  }
  if (integer && !Number.isInteger(value)) refuse(`--${name} must be an integer, got ${raw}`, command);
  return value;
}

/** A file that must exist, or exit 2 naming the option (`--seed`) or argument (`FILE`). */
export function existingFile(command: string, name: string, path: string): string {
  if (!existsSync(path)) refuse(`${name}: no file ${path}`, command);
  return path;
}

// ESC sequences (CSI, OSC and two-character ones), then any other control but newline and tab. Built from
// strings: the point is to match control characters.
const esc = String.fromCharCode(0x1b);
const bel = String.fromCharCode(0x07);
const escapeSequence = new RegExp(
  `${esc}(?:\\[[0-?]*[ -/]*[@-~]|\\][^${bel}${esc}]*(?:${bel}|${esc}\\\\)?|[@-Z\\\\-_])`,
  'g',
);
const controls = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(0x0b)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}-${String.fromCharCode(0x9f)}\u2028\u2029\u202a-\u202e\u2066-\u2069]`,
  'g',
);

/** Text safe to print on a terminal: no escape sequences, no controls but newlines and tabs, no bidi overrides. */
export function forTerminal(text: string): string {
  return text.replace(escapeSequence, '').replace(controls, '');
}
