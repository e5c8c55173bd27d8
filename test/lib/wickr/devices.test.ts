/**
 * A user's devices through the client and the emulator over HTTP (ListDevicesForUser, BatchResetDevicesForUser),
 * as the API reference documents them: `BasicDeviceObject` items, paginated and sortable by `lastlogin`, `type`,
 * `suspend`, `created`; a reset marks a device `Reset`; unknown devices fail alone; at most 50 per call.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../../../infra/local/wickr-emulator/index.js';
import { startEmulatorFixture } from '../../support/wickr-emulator.js';

const fixture = await startEmulatorFixture({ seed: demoSeed });
afterAll(() => fixture.emulator.close());
beforeEach(() => fixture.emulator.reset(demoSeed));
const networkId = '12345678';

describe("a user's devices", () => {
  it('lists every page, sorted as asked', async () => {
    const pages = [];
    for await (const page of fixture.client().paginateDevicesForUser({
      networkId,
      userId: '1001',
      maxResults: 2,
      sortFields: 'lastlogin',
      sortDirection: 'ASC',
    })) {
      pages.push(page.devices.map((d) => d.appId));
    }
    expect(pages).toEqual([['alice-tablet', 'alice-phone'], ['alice-laptop']]);
  });

  it('resets the devices named, reports an unknown one alone, and 404s an unknown user', async () => {
    const answer = await fixture.client().batchResetDevicesForUser({
      networkId,
      userId: '1001',
      appIds: ['alice-phone', 'nope'],
      clientToken: 'reset-1',
    });
    expect(answer.successful).toEqual([{ appId: 'alice-phone' }]);
    expect(answer.failed).toEqual([{ appId: 'nope', field: 'appIds', reason: 'Device not found' }]);
    const { devices } = await fixture.client().listDevicesForUser({ networkId, userId: '1001' });
    expect(devices.map((d) => [d.appId, d.statusText]).sort()).toEqual([
      ['alice-laptop', 'Active'],
      ['alice-phone', 'Reset'],
      ['alice-tablet', 'Active'],
    ]);
    await expect(fixture.client().listDevicesForUser({ networkId, userId: '9999' })).rejects.toMatchObject({
      name: 'WickrResourceNotFoundError',
    });
  });

  it('refuses more than 50 devices in one call before sending it', async () => {
    fixture.emulator.clearJournal();
    const appIds = Array.from({ length: 51 }, (_, i) => `d${i}`);
    await expect(fixture.client().batchResetDevicesForUser({ networkId, userId: '1001', appIds })).rejects.toThrow(
      /appIds: must hold at most 50 items/,
    );
    expect(fixture.emulator.journal()).toEqual([]);
  });
});
