/**
 * `npm run emulator -- [--port N] [--seed FILE] [--access-key-id ID --secret-access-key KEY]`
 * Starts the Wickr emulator and prints one JSON line, `{"wickrEndpoint":"http://127.0.0.1:PORT"}`, when ready.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EmulatorSeed } from './seed.js';
import { startWickrEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    'access-key-id': { type: 'string' },
    'secret-access-key': { type: 'string' },
  },
});

const seed = values.seed ? EmulatorSeed.parse(JSON.parse(readFileSync(values.seed, 'utf8'))) : undefined;
const accessKeyId = values['access-key-id'];
const secretAccessKey = values['secret-access-key'];
const emulator = await startWickrEmulator({
  port: Number(values.port),
  host: values.host,
  ...(seed ? { seed } : {}),
  ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
});
process.stdout.write(`${JSON.stringify({ wickrEndpoint: emulator.endpoint })}\n`);

const stop = () => {
  emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
