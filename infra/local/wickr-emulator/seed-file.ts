import { readFileSync } from 'node:fs';
import { fieldIssues } from '../../../lib/schema-issues.js';
import { existingFile, refuse } from '../../command-line.js';
import { EmulatorSeed } from './seed.js';

/** A `--seed` file for a command: parsed and validated, or exit 2 naming what is wrong with it. */
export function readSeedFile(command: string, path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(existingFile(command, '--seed', path), 'utf8'));
  } catch (error) {
    refuse(`--seed ${path}: not JSON (${(error as Error).message})`, command);
  }
  const parsed = EmulatorSeed.safeParse(json);
  if (!parsed.success) {
    const problems = fieldIssues(parsed.error.issues).map((i) => `${i.field}: ${i.reason}`);
    refuse(`--seed ${path}: ${problems.join('; ')}`, command);
  }
  return parsed.data;
}
