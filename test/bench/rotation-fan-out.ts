/**
 * Rotation fan-out: 1,000 groups on one network with 10% drift, the emulator at 20 ms latency behind a 50
 * requests/s token bucket. Requests against the minimum (list pages + one PATCH per drifted group + the settings
 * read) and wall time against the rate-limit bound.
 */

import type { Context } from 'aws-lambda';
import { createTables, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';
import { startWickrEmulator } from '../../infra/local/wickr-emulator/index.js';
import { rotatePolicy } from '../../lib/rotation/handle-rotation.js';
import { idempotencyPersistence, idempotentSteps } from '../../lib/store/idempotency.js';
import { WickrAdminClient } from '../../lib/wickr/index.js';
import { envelope } from '../support/envelope.js';
import { MemoryHolds } from '../support/memory-holds.js';

const networkId = '10000001';
const groups = 1000;
const drifted = 100;
const latencyMs = 20;
const rateLimit = 50;
const pace = 48;

export async function rotationFanOut() {
  const emulator = await startWickrEmulator({
    seed: {
      networks: [
        {
          networkId,
          networkName: 'bench-rotation',
          securityGroups: Array.from({ length: groups }, (_, i) => ({
            id: `g${String(i).padStart(4, '0')}`,
            name: `team-${i}`,
            securityGroupSettings: { lockoutThreshold: i < drifted ? 99 : 10, maxNonSsoSessionMinutes: 720 },
          })),
        },
      ],
    },
  });
  const db = await startLocalDynamoDB('dynalite');
  const service = loadLocalService('serverless.yml');
  await createTables(db.client, service.tables);
  const table = String(service.tables.find((t) => t.logicalId === 'IdempotencyTable')?.properties.TableName);
  try {
    emulator.setFaults({ latencyMs, rateLimit: { requestsPerSecond: rateLimit, burst: 5 } });
    const wickr = new WickrAdminClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      requestsPerSecond: pace,
    });
    const started = performance.now();
    const outcome = await rotatePolicy(
      {
        ...envelope('Scheduled Event', 'aws.events', {}, '2026-11-28T11:00:00Z'),
        resources: ['arn:aws:events:us-east-1:123456789012:rule/bench'],
      },
      {
        wickr,
        rotation: {
          timeZone: 'UTC',
          rules: [{ select: { all: true }, settings: { lockoutThreshold: 10, maxNonSsoSessionMinutes: 720 } }],
          guards: { maxChanges: 1000, maxChangePercent: 100 },
          dryRun: false,
        },
        locks: async () => ({ groups: new Map(), popup: false }),
        concurrency: 8,
        networkIds: [networkId],
        idempotency: idempotentSteps(idempotencyPersistence(db.client, table), {
          getRemainingTimeInMillis: () => 900_000,
        } as Context),
        publisher: { publish: async () => undefined },
        holds: new MemoryHolds(),
        holdMs: 86_400_000,
        clock: { now: Date.now },
        logger: { info: () => undefined },
      },
    );
    const wallMs = performance.now() - started;
    const journal = emulator.journal();
    const minimumRequests = Math.ceil(groups / 100) + 1 + drifted;
    const boundMs = (minimumRequests / rateLimit) * 1000;
    return {
      groups,
      drifted,
      patched: outcome.networks[0]?.counts.patched ?? 0,
      minimumRequests,
      requests: journal.length,
      rateLimited: journal.filter((e) => e.status === 429).length,
      wallMs: Math.round(wallMs),
      boundMs: Math.round(boundMs),
      ratioToBound: Number((wallMs / boundMs).toFixed(3)),
    };
  } finally {
    await emulator.close();
    await db.close();
  }
}
