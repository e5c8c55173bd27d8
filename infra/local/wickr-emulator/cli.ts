/**
 * `npm run emulator -- [--port N] [--seed FILE] [--access-key-id ID --secret-access-key KEY]`
 * Starts the Wickr emulator and prints one JSON line, `{"wickrEndpoint":"http://127.0.0.1:PORT"}`, when ready.
 */
import { commandLine, numberOption, refuse } from '../../command-line.js';
import { readSeedFile } from './seed-file.js';
import { startWickrEmulator } from './server.js';

const help = `npm run emulator -- [options]

Starts the Wickr Admin API emulator (the 28 operations the client makes, SigV4 checked, faults on demand under /_emulator/) and
prints one JSON line, {"wickrEndpoint":"http://127.0.0.1:PORT"}, when ready. Ctrl-C stops it.

  --port N                   the port; 0 picks a free one                                     [0]
  --host H                   the interface                                                     [127.0.0.1]
  --seed FILE                its networks (seed format in the README) instead of the demo network
  --access-key-id ID         with --secret-access-key: verify signatures against these credentials
  --secret-access-key KEY
  --help                     this text

Example: npm run emulator -- --port 4010 --seed examples/my-network.json`;

const command = 'emulator';
const { values } = commandLine(command, help, {
  port: { type: 'string', default: '0' },
  host: { type: 'string', default: '127.0.0.1' },
  seed: { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
});
const port = numberOption(command, 'port', values.port, { min: 0, max: 65_535, integer: true });
const accessKeyId = values['access-key-id'];
const secretAccessKey = values['secret-access-key'];
if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
  refuse('--access-key-id and --secret-access-key go together', command);
}
const seed = values.seed ? readSeedFile(command, values.seed) : undefined;
const emulator = await startWickrEmulator({
  port,
  host: values.host,
  ...(seed ? { seed } : {}),
  ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
}).catch((error: NodeJS.ErrnoException) =>
  refuse(error.code === 'EADDRINUSE' ? `--port ${port} is in use` : error.message, command),
);
process.stdout.write(`${JSON.stringify({ wickrEndpoint: emulator.endpoint })}\n`);

const stop = () => {
  emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
