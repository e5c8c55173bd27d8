/**
 * What every `ops` command is: its `--help`, and what it runs with the options parsed once for all commands, the
 * target they act on (the local stack or a stage) and one way to print (JSON or text for the terminal).
 */
import type { parseArgs } from 'node:util';
import type { OpsTarget } from './ops-target.js';

/** The options of every `ops` command (each reads those its help names). */
export const opsOptions = {
  local: { type: 'boolean' },
  as: { type: 'string' },
  stage: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  network: { type: 'string', multiple: true },
  id: { type: 'string' },
  severity: { type: 'string' },
  title: { type: 'string' },
  groups: { type: 'string' },
  function: { type: 'string' },
  all: { type: 'boolean' },
  yes: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  override: { type: 'boolean' },
  reason: { type: 'string' },
  'no-wait': { type: 'boolean' },
  'wait-seconds': { type: 'string', default: '60' },
  since: { type: 'string' },
  trail: { type: 'string' },
  incident: { type: 'string' },
  user: { type: 'string' },
  guest: { type: 'string' },
  bot: { type: 'string' },
  case: { type: 'string' },
  csv: { type: 'string' },
  revision: { type: 'string' },
  count: { type: 'string' },
} as const;

/** The parsed options. */
export type OpsValues = ReturnType<typeof parseArgs<{ options: typeof opsOptions; allowPositionals: true }>>['values'];

/** What a command runs with. */
export interface OpsContext {
  readonly values: OpsValues;
  readonly positionals: readonly string[];
  readonly target: OpsTarget;
  /** The first `--network`, if any. */
  readonly network: string | undefined;
  /** Prints `data` as JSON with --json, else `text()` made safe for the terminal. */
  readonly print: (data: unknown, text: () => string) => void;
}

/** One `ops` command: run with the options parsed, or (`ops plan`) another command's, handed its own arguments. */
export type OpsCommand =
  | { readonly help: string; run(context: OpsContext): Promise<void> }
  | { readonly help: string; readonly passThrough: (args: readonly string[]) => number };

/** The target options every command's help ends with. */
export const targetOptionsHelp = `  --local              the running local stack (npm start -- --serve)
  --as KEY             with --local: sign as this access key, one npm start -- --identity KEY=ARN mapped
                       (where incidentPublishers is set, the bus admits only their keys)           [local]
  --stage S            a deployed stage (resource names from serverless.yml), with --region R     [us-east-1]
  --json               JSON instead of text
  --help               this text`;
