/**
 * Lockdown fan-out: 1,000 groups across 2 networks, the Wickr emulator at 20 ms latency behind a 50 requests/s
 * token bucket, real local DynamoDB. Measures wall time against the rate-limit bound (minimum requests ÷ 50/s)
 * and against a baseline measured in the same run (the same number of paced requests that change nothing),
 * and counts the requests against the minimum.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createTables, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';
import { startWickrEmulator } from '../../infra/local/wickr-emulator/index.js';
import { declareIncident } from '../../lib/incident/handle-incident.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { documentClient } from '../../lib/store/dynamodb-client.js';
import { idempotencyPersistence, idempotentSteps } from '../../lib/store/idempotency.js';
import { IncidentStateStore } from '../../lib/store/incident-state-store.js';
import { WickrAdminClient } from '../../lib/wickr/index.js';
import { envelope } from '../support/envelope.js';

/** Figures of one lockdown fan-out run. */
export interface FanOutFigures {
  readonly groups: number;
  readonly networks: number;
  readonly latencyMs: number;
  readonly rateLimitPerSecond: number;
  readonly clientPacePerSecond: number;
  readonly minimumRequests: number;
  readonly requests: number;
  readonly rateLimited: number;
  readonly failedGroups: number;
  readonly wallMs: number;
  readonly boundMs: number;
  readonly ratioToBound: number;
  readonly baselineMs: number;
  readonly ratioToBaseline: number;
}

const networkIds = ['10000001', '10000002'];
const groupsPerNetwork = 500;
const latencyMs = 20;
const rateLimit = 50;
// A little under the limit, so clock jitter between client and server never costs a 429 and a retry.
const pace = 48;

/** `extra429Rate`: the share of requests the emulator also answers 429 at random, on top of its rate limit. */
export async function lockdownFanOut(extra429Rate = 0): Promise<FanOutFigures> {
  const emulator = await startWickrEmulator({
    seed: {
      networks: networkIds.map((networkId) => ({
        networkId,
        networkName: `bench-${networkId}`,
        consentPopup: { enabled: false },
        securityGroups: Array.from({ length: groupsPerNetwork }, (_, i) => ({
          id: `g${String(i).padStart(4, '0')}`,
          name: `team-${i}`,
          securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, lockoutThreshold: 10 },
        })),
      })),
    },
  });
  const db = await startLocalDynamoDB('dynalite');
  const service = loadLocalService('serverless.yml');
  await createTables(db.client, service.tables);
  const table = (id: string) => String(service.tables.find((t) => t.logicalId === id)?.properties.TableName);
  try {
    const wickr = new WickrAdminClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      requestsPerSecond: pace,
    });
    const minimumRequests = networkIds.length * (Math.ceil(groupsPerNetwork / 100) + 1 + groupsPerNetwork + 1);
    emulator.setFaults({ latencyMs, rateLimit: { requestsPerSecond: rateLimit, burst: 5 } });

    // Baseline: the same number of requests, paced the same, changing nothing.
    const baselineStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < minimumRequests) await wickr.getNetwork({ networkId: networkIds[0] as string });
      }),
    );
    const baselineMs = performance.now() - baselineStart;
    emulator.clearJournal();
    emulator.setFaults({
      latencyMs,
      rateLimit: { requestsPerSecond: rateLimit, burst: 5 },
      ...(extra429Rate > 0 ? { errorRates: { '429': extra429Rate }, seed: 7 } : {}),
    });

    const policy = loadPolicyFile('infra/policy.yml');
    const context = { getRemainingTimeInMillis: () => 900_000 } as Context;
    const started = performance.now();
    const outcome = await declareIncident(
      envelope('Incident Declared', 'security.incidents', {
        schemaVersion: '1' as const,
        incidentId: `BENCH-${randomUUID()}`,
        severity: 'SEV1' as const,
      }),
      { requestId: randomUUID(), remainingMs: () => 900_000 },
      {
        wickr,
        store: new IncidentStateStore(documentClient(db.client), table('StateTable')),
        playbooks: policy.incident.playbooks,
        concurrency: 8,
        nowMs: Date.now,
        networkIds,
        tombstoneDays: 30,
        idempotency: idempotentSteps(idempotencyPersistence(db.client, table('IdempotencyTable')), context),
        publisher: { publish: async () => undefined },
        logger: { info: () => undefined, warn: () => undefined },
      },
    );
    const wallMs = performance.now() - started;
    const journal = emulator.journal();
    const locked = emulator
      .snapshot()
      .networks.flatMap((n) => n.securityGroups)
      .filter((g) => g.securityGroupSettings.maxNonSsoSessionMinutes === 60).length;
    const changed = outcome.networks.reduce((n, o) => n + (o.result === 'reconciled' ? o.summary.groupsChanged : 0), 0);
    const boundMs = (minimumRequests / rateLimit) * 1000;
    return {
      groups: networkIds.length * groupsPerNetwork,
      networks: networkIds.length,
      latencyMs,
      rateLimitPerSecond: rateLimit,
      clientPacePerSecond: pace,
      minimumRequests,
      requests: journal.length,
      rateLimited: journal.filter((e) => e.status === 429).length,
      failedGroups: networkIds.length * groupsPerNetwork - Math.min(locked, changed),
      wallMs: Math.round(wallMs),
      boundMs: Math.round(boundMs),
      ratioToBound: Number((wallMs / boundMs).toFixed(3)),
      baselineMs: Math.round(baselineMs),
      ratioToBaseline: Number((wallMs / baselineMs).toFixed(3)),
    };
  } finally {
    await emulator.close();
    await db.close();
  }
}
