/** `npm run policy:schema`: the policy file's JSON Schema, for editors (rules zod checks in code are described, not encoded). */
import * as z from 'zod/mini';
import { PolicyFile } from '../lib/policy-file/policy-file.js';

const schema = z.toJSONSchema(PolicyFile, { io: 'input', unrepresentable: 'any' });
process.stdout.write(`${JSON.stringify({ title: 'wickr-autopilot policy file', ...schema }, null, 2)}\n`);
