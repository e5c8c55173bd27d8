/**
 * Time to contain one account: a provisioned user with 120 devices, the emulator at 20 ms latency behind a 50
 * requests/s token bucket. Requests against the minimum (the user read, the suspension, the device pages, one reset
 * per 50 devices) and wall time against the rate-limit bound — and against the requests' latency in sequence, since
 * each waits for the one before.
 */
import { createTables, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';
import { startWickrEmulator } from '../../infra/local/wickr-emulator/index.js';
import { takeAccountFact } from '../../lib/containment/contain-account.js';
import { AccountCaseStore } from '../../lib/store/account-case-store.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { EmployeeRecordStore } from '../../lib/store/employee-record-store.js';
import { ProvisionedUsersStore } from '../../lib/store/provisioned-users-store.js';
import { WickrAdminClient } from '../../lib/wickr/index.js';

const networkId = '10000002';
const devices = 120;
const latencyMs = 20;
const rateLimit = 50;

export async function timeToContain() {
  const emulator = await startWickrEmulator({
    seed: {
      networks: [
        {
          networkId,
          networkName: 'bench-containment',
          securityGroups: [{ id: 'g0', name: 'everyone', isDefault: true }],
          users: [
            {
              userId: '700',
              username: 'compromised@example.com',
              securityGroupIds: ['g0'],
              devices: Array.from({ length: devices }, (_, i) => ({ appId: `app-${i}`, type: 'iOS' })),
            },
          ],
        },
      ],
    },
  });
  const db = await startLocalDynamoDB('dynalite');
  const service = loadLocalService('serverless.yml');
  await createTables(db.client, service.tables);
  const stateTable = String(service.tables.find((t) => t.logicalId === 'StateTable')?.properties.TableName);
  const doc = documentClient(db.client);
  try {
    const records = new EmployeeRecordStore(doc, stateTable, 86_400);
    await records.recordFact({
      networkId,
      employeeId: 'E-700',
      version: '2|1',
      time: '2026-11-01T00:00:00.000Z',
      eventId: 'hr',
      placement: { state: 'active', department: 'Ops', employmentType: 'EMPLOYEE', groupName: 'everyone' },
    });
    const claimed = await records.claim(networkId, 'E-700', 'bench', Date.now() + 30_000, Date.now());
    if (claimed) await records.release(claimed, 'bench', { userId: '700', status: 'active', groupName: 'everyone' });
    emulator.setFaults({ latencyMs, rateLimit: { requestsPerSecond: rateLimit, burst: 5 } });
    const wickr = new WickrAdminClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      requestsPerSecond: rateLimit - 2,
    });
    const started = performance.now();
    const outcome = await takeAccountFact(
      {
        wickr,
        accounts: new AccountCaseStore(doc, stateTable),
        provisioned: new ProvisionedUsersStore(doc, stateTable),
        anyUser: false,
        networkIds: [networkId],
        nowMs: Date.now,
        publisher: { publish: async () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      },
      {
        caseId: 'BENCH-1',
        subject: 'E-700',
        compromised: true,
        time: new Date().toISOString(),
        source: 'on-call',
        eventId: 'bench',
      },
    );
    const wallMs = performance.now() - started;
    const journal = emulator.journal();
    const minimumRequests = 1 + 1 + Math.ceil(devices / 100) + Math.ceil(devices / 50);
    const boundMs = (minimumRequests / rateLimit) * 1000;
    return {
      devices,
      result: outcome.result,
      signedOut:
        emulator.snapshot().networks[0]?.users[0]?.devices?.filter((d) => d.statusText === 'Reset').length ?? 0,
      minimumRequests,
      requests: journal.length,
      rateLimited: journal.filter((e) => e.status === 429).length,
      wallMs: Math.round(wallMs),
      boundMs: Math.round(boundMs),
      ratioToBound: Number((wallMs / boundMs).toFixed(3)),
      ratioToSequentialLatency: Number((wallMs / (minimumRequests * latencyMs)).toFixed(3)),
    };
  } finally {
    await emulator.close();
    await db.close();
  }
}
