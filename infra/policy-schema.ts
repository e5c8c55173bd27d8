/** `npm run policy:schema`: the policy file's JSON Schema, for editors (rules zod checks in code are described, not encoded). */
import { writeFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { PolicyFile } from '../lib/policy-file/policy-file.js';
import { commandLine } from './command-line.js';

const help = `npm run policy:schema -- [--out FILE]

Prints the policy file's JSON Schema (for editors: YAML language servers, IDEs), or writes it to FILE — npm's own
banner would otherwise land in a redirected file unless you run npm with --silent.

  --out FILE   write the schema to FILE instead of standard output
  --help       this text

Example: npm run policy:schema -- --out policy.schema.json`;

const { values } = commandLine('policy:schema', help, { out: { type: 'string' } });
const schema = z.toJSONSchema(PolicyFile, { io: 'input', unrepresentable: 'any' });
const text = `${JSON.stringify({ title: 'wickr-autopilot policy file', ...schema }, null, 2)}\n`;
if (values.out) {
  writeFileSync(values.out, text);
  console.log(`wrote ${values.out}`);
} else process.stdout.write(text);
