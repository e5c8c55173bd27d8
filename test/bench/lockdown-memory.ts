/**
 * Peak RSS of the deployed incidentDeclared bundle locking down 1,000 groups, in a process of its own (as a
 * Lambda execution environment), against the emulator, local DynamoDB and the local bus in this process.
 */
import { randomUUID } from 'node:crypto';
import { createTables, startLocalDynamoDB } from '../../infra/local/dynamodb/local-dynamodb.js';
import { LocalEventBus } from '../../infra/local/events/event-bus.js';
import { loadLocalService } from '../../infra/local/serverless-config.js';
import { startWickrEmulator } from '../../infra/local/wickr-emulator/index.js';
import { envelope } from '../support/envelope.js';
import { invokeInProcess } from './bundle-process.js';

export async function lockdownMemory(bundleFile: string, groups = 1000) {
  const service = loadLocalService('serverless.yml');
  const emulator = await startWickrEmulator({
    seed: {
      networks: [
        {
          networkId: '12345678',
          networkName: 'bench-memory',
          securityGroups: Array.from({ length: groups }, (_, i) => ({
            id: `g${String(i).padStart(4, '0')}`,
            name: `team-${i}`,
            securityGroupSettings: { maxNonSsoSessionMinutes: 1440, alwaysReauthenticate: false, lockoutThreshold: 10 },
          })),
        },
      ],
    },
  });
  const db = await startLocalDynamoDB('dynalite');
  await createTables(db.client, service.tables);
  // The function signs as its role, which alone may put outcome events on the bus (as deployed).
  const role = service.functions.find((f) => f.name === 'incidentDeclared')?.roleArn as string;
  const bus = new LocalEventBus({ service, functions: new Map(), identities: new Map([['BENCHFN', role]]) });
  await bus.listen();
  try {
    const event = envelope('Incident Declared', 'security.incidents', {
      incidentId: `MEM-${randomUUID()}`,
      severity: 'SEV1',
    });
    const env = (name: string) => String(service.providerEnvironment[name]);
    const { peakRssKb, result } = await invokeInProcess<{
      networks: { summary?: { groupsChanged: number } }[];
    }>(
      bundleFile,
      'incidentDeclared',
      event,
      {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'BENCHFN',
        AWS_SECRET_ACCESS_KEY: 'local',
        WICKR_ENDPOINT: emulator.endpoint,
        ALLOW_LOCAL_ENDPOINTS: 'true',
        DYNAMODB_ENDPOINT: db.endpoint,
        EVENTBRIDGE_ENDPOINT: bus.endpoint,
        EVENT_BUS_NAME: service.busName,
        IDEMPOTENCY_TABLE: env('IDEMPOTENCY_TABLE'),
        STATE_TABLE: env('STATE_TABLE'),
        WICKR_REQUESTS_PER_SECOND: '1000',
        // As deployed: the heap sizing serverless.yml gives every function.
        NODE_OPTIONS: env('NODE_OPTIONS'),
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
      // The account of the envelopes test/support makes.
      '123456789012',
    );
    const locked = emulator
      .snapshot()
      .networks[0]?.securityGroups.filter((g) => g.securityGroupSettings.maxNonSsoSessionMinutes === 60).length;
    return {
      groups,
      groupsLocked: locked ?? 0,
      groupsReported: result.networks[0]?.summary?.groupsChanged ?? 0,
      peakRssMb: Math.round(peakRssKb / 1024),
    };
  } finally {
    await bus.close();
    await emulator.close();
    await db.close();
  }
}
