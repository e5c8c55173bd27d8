import {
  startWickrEmulator,
  type WickrEmulator,
  type WickrEmulatorOptions,
} from '../../infra/local/wickr-emulator/index.js';
import { WickrAdminClient, type WickrAdminClientConfig } from '../../lib/wickr/index.js';

/** Credentials the test emulator verifies signatures against. */
export const testCredentials = { accessKeyId: 'AKIDTESTEMULATOR', secretAccessKey: 'test-secret-key' };

/** An emulator that checks signatures, and a way to make clients of it. */
export interface EmulatorFixture {
  readonly emulator: WickrEmulator;
  client(overrides?: Partial<WickrAdminClientConfig>): WickrAdminClient;
}

/**
 * Starts an emulator on a free port; fast retries keep fault tests short. A request waits as long as the deployed
 * client lets it (10 s): the emulator shares its process with the test, and on a machine busy with the other test
 * workers a 2 s limit failed healthy requests (HR batches then came back short).
 */
export async function startEmulatorFixture(options: WickrEmulatorOptions = {}): Promise<EmulatorFixture> {
  const emulator = await startWickrEmulator({ credentials: testCredentials, ...options });
  return {
    emulator,
    client: (overrides = {}) =>
      new WickrAdminClient({
        region: 'us-east-1',
        endpoint: emulator.endpoint,
        credentials: testCredentials,
        retry: { baseDelayMs: 1, maxDelayMs: 20, requestTimeoutMs: 10_000 },
        ...overrides,
      }),
  };
}
