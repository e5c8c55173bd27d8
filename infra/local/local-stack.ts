/**
 * The whole system on one machine: local DynamoDB with the deployed tables, the Wickr emulator, and the local
 * bus running every function of serverless.yml in its own worker with its own environment.
 */
import { resolve } from 'node:path';
import { LocalEventBus } from './event-bus.js';
import { createTables, type LocalDynamoDB, type LocalDynamoDBKind, startLocalDynamoDB } from './local-dynamodb.js';
import { LocalFunction } from './local-function.js';
import { type LocalService, loadLocalService } from './serverless-config.js';
import { type EmulatorSeed, startWickrEmulator, type WickrEmulator } from './wickr-emulator/index.js';

/** How to start the local stack. */
export interface LocalStackOptions {
  readonly serverlessFile?: string;
  readonly stage?: string;
  /** Overrides of serverless.yml's `params.default`, e.g. `policyFile`. */
  readonly params?: Readonly<Record<string, string>>;
  /** The Wickr emulator's networks; its demo network when absent. */
  readonly seed?: EmulatorSeed;
  readonly dynamodb?: LocalDynamoDBKind;
  readonly retryDelaysMs?: readonly number[];
  /** Powertools log level inside the functions; `WARN` keeps the demo readable. */
  readonly logLevel?: string;
  /** Extra environment for every function. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly busPort?: number;
  readonly wickrPort?: number;
  /** Replaces every function's timeout (seconds), e.g. to make injected crashes end sooner. */
  readonly timeoutSeconds?: number;
  /** Share of invocations whose environment crashes mid-handler, drawn from `random`. */
  readonly crashRate?: number;
  readonly random?: () => number;
}

/** A running local stack. */
export interface LocalStack {
  readonly eventBridgeEndpoint: string;
  readonly wickrEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly busName: string;
  readonly region: string;
  readonly service: LocalService;
  readonly bus: LocalEventBus;
  readonly emulator: WickrEmulator;
  readonly dynamodb: LocalDynamoDB;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  close(): Promise<void>;
}

const region = 'us-east-1';

function environmentValue(value: unknown, bus: LocalEventBus, service: LocalService): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = (value as { Ref?: string })?.Ref;
  if (ref && service.queues.includes(ref)) return bus.queueUrl(ref);
  throw new Error(`The local stack cannot resolve environment value ${JSON.stringify(value)}`);
}

/** Starts DynamoDB, the Wickr emulator and the bus, and wires every function to them. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const serverlessFile = resolve(options.serverlessFile ?? 'serverless.yml');
  const service = loadLocalService(serverlessFile, { stage: options.stage ?? 'local', params: options.params });
  const dynamodb = await startLocalDynamoDB(options.dynamodb ?? 'dynalite');
  const emulator = await startWickrEmulator({
    port: options.wickrPort ?? 0,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const functions = new Map<string, LocalFunction>();
  const bus = new LocalEventBus({
    service,
    functions,
    region,
    retryDelaysMs: options.retryDelaysMs,
    port: options.busPort,
  });
  try {
    await createTables(dynamodb.client, service.tables);
    await bus.listen();
    for (const definition of service.functions) {
      const declared = { ...service.providerEnvironment, ...definition.environment };
      const environment: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ...Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, environmentValue(v, bus, service)])),
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_LAMBDA_FUNCTION_NAME: definition.name,
        LAMBDA_TASK_ROOT: service.dir,
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
        WICKR_ENDPOINT: emulator.endpoint,
        DYNAMODB_ENDPOINT: dynamodb.endpoint,
        EVENTBRIDGE_ENDPOINT: bus.endpoint,
        SQS_ENDPOINT: bus.endpoint,
        ...options.environment,
      };
      const fn = options.timeoutSeconds ? { ...definition, timeoutSeconds: options.timeoutSeconds } : definition;
      const crash = options.crashRate ? { rate: options.crashRate, random: options.random ?? Math.random } : undefined;
      functions.set(definition.name, new LocalFunction(fn, service.dir, environment, region, crash));
    }
  } catch (error) {
    await Promise.allSettled([bus.close(), emulator.close(), dynamodb.close()]);
    throw error;
  }
  return {
    eventBridgeEndpoint: bus.endpoint,
    wickrEndpoint: emulator.endpoint,
    dynamodbEndpoint: dynamodb.endpoint,
    busName: service.busName,
    region,
    service,
    bus,
    emulator,
    dynamodb,
    functions,
    close: async () => {
      await Promise.allSettled([...functions.values()].map((f) => f.close()));
      await Promise.allSettled([bus.close(), emulator.close(), dynamodb.close()]);
    },
  };
}
