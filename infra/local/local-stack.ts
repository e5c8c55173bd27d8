/**
 * The whole system on one machine, one part per AWS service it stands in for: DynamoDB (`dynamodb/`) with the
 * deployed tables, the Wickr emulator (`wickr-emulator/`), EventBridge (`events/`) routing by the deployed rules,
 * SQS (`sqs/`) with the deployed queues, and Lambda (`lambda/`) running every function of serverless.yml in
 * pools of execution environments, with its SQS event sources.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { minSecretLength, usableSecrets } from '../../lib/runtime/secret-reader.js';
import {
  createTables,
  type LocalDynamoDB,
  type LocalDynamoDBKind,
  startLocalDynamoDB,
} from './dynamodb/local-dynamodb.js';
import { LocalEventBus } from './events/event-bus.js';
import { serveFunctionUrl, type UrlAuthenticator } from './lambda/function-url.js';
import { InvocationLog, type InvocationRecord } from './lambda/invocation-log.js';
import { LambdaFunction } from './lambda/lambda-function.js';
import { SqsEventSource } from './lambda/sqs-event-source.js';
import type { LocalEndpoints } from './local-endpoints.js';
import { LocalS3 } from './s3/local-s3.js';
import { type LocalService, loadLocalService } from './serverless-config.js';
import { LocalSqs } from './sqs/local-sqs.js';
import { type EmulatorSeed, startWickrEmulator, type WickrEmulator } from './wickr-emulator/index.js';
import { verifySigV4 } from './wickr-emulator/sigv4-verifier.js';

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
  /** Replaces every function's timeout (seconds), e.g. to make injected crashes end sooner; polled queues' visibility timeouts shrink in proportion. */
  readonly timeoutSeconds?: number;
  /** Share of invocations whose environment crashes mid-handler, drawn from `random`. */
  readonly crashRate?: number;
  readonly random?: () => number;
  /**
   * Execution environments per function where serverless.yml sets no `reservedConcurrency` (nor an SQS source's
   * `maximumConcurrency`). Each is a worker thread with its own copy of the function. Default 16.
   */
  readonly maxEnvironmentsPerFunction?: number;
  /** SigV4 access key id → IAM principal ARN, for the bus policy (`npm start -- --identity AKID=ARN`). */
  readonly identities?: ReadonlyMap<string, string>;
  /** Access key id → secret, for the identities whose signatures the bus checks (`--identity AKID:SECRET=ARN`). */
  readonly secrets?: ReadonlyMap<string, string>;
  /** SSM parameters the stand-in holds (name → value), e.g. the webhook's secrets; `PutParameter` changes them. */
  readonly ssmParameters?: ReadonlyMap<string, string>;
}

/** The access key a function's environment signs with locally; the bus maps it to the function's role. */
export const functionAccessKey = (functionName: string) => `LOCALFN${functionName.toUpperCase()}`;

/** Environments per function when serverless.yml sets no limit: what a 2-core CI machine holds comfortably. */
export const defaultMaxEnvironments = 16;

/** A running local stack. */
export interface LocalStack {
  readonly eventBridgeEndpoint: string;
  /** The S3 stand-in (path-style), holding the stack's buckets. */
  readonly s3Endpoint: string;
  readonly s3: LocalS3;
  readonly wickrEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly busName: string;
  readonly region: string;
  readonly service: LocalService;
  readonly bus: LocalEventBus;
  readonly emulator: WickrEmulator;
  readonly dynamodb: LocalDynamoDB;
  readonly sqs: LocalSqs;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly queueSources: readonly SqsEventSource[];
  /** Each function URL's address, by function name. */
  readonly functionUrls: ReadonlyMap<string, string>;
  /** Every invocation as it ends. */
  onInvocation(listener: (record: InvocationRecord) => void): void;
  close(): Promise<void>;
}

const region = 'us-east-1';

/** Where other commands find a running stack (`.wickr-autopilot/local.json`, or an ops target in a test). */
export function endpointsOf(stack: LocalStack): LocalEndpoints {
  return {
    eventBridgeEndpoint: stack.eventBridgeEndpoint,
    wickrEndpoint: stack.wickrEndpoint,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    busName: stack.busName,
    region: stack.region,
    stateTable: String(stack.service.providerEnvironment.STATE_TABLE),
    functionUrls: Object.fromEntries(stack.functionUrls),
    s3Endpoint: stack.s3Endpoint,
  };
}

function environmentValue(value: unknown, sqs: LocalSqs, service: LocalService): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = (value as { Ref?: string })?.Ref;
  if (ref && sqs.logicalIds().includes(ref)) return sqs.queueUrl(ref);
  const bucket = service.buckets.find((b) => b.logicalId === ref);
  if (bucket) return bucket.name;
  throw new Error(`The local stack cannot resolve environment value ${JSON.stringify(value)}`);
}

/**
 * A function URL's `AWS_IAM` check, as Lambda makes it: a SigV4 signature for service `lambda`, its key mapped to a
 * principal (`--identity`; an unmapped key is a user of the account named after it), its signature verified where
 * the key's secret is known. Anything else is refused before the function runs.
 */
function iamAuthenticator(
  identities: ReadonlyMap<string, string>,
  secrets: ReadonlyMap<string, string> | undefined,
  accountId: string,
): UrlAuthenticator {
  return async (req, body) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const request = {
      method: req.method ?? 'POST',
      path: url.pathname,
      rawQuery: url.search.slice(1),
      headers: req.headers,
      body: body.toString('utf8'),
    };
    const accessKeyId = String(req.headers.authorization ?? '').match(/Credential=([^/,\s]+)\//)?.[1];
    const secretAccessKey = accessKeyId ? secrets?.get(accessKeyId) : undefined;
    const refused = await verifySigV4(
      request,
      accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      'lambda',
    );
    if (refused || !accessKeyId) return { refused: `Forbidden: ${refused ?? 'no signature'}` };
    return { accessKeyId, userArn: identities.get(accessKeyId) ?? `arn:aws:iam::${accountId}:user/${accessKeyId}` };
  };
}

/** Starts DynamoDB, the Wickr emulator and the bus, and wires every function to them. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const serverlessFile = resolve(options.serverlessFile ?? 'serverless.yml');
  const service = loadLocalService(serverlessFile, { stage: options.stage ?? 'local', params: options.params });
  // As the function would: a webhook secret shorter than 32 characters is none. Said here, not found at a 404.
  for (const key of ['pagerDutyWebhookSecretParameter', 'webhookSecretParameter']) {
    const value = options.ssmParameters?.get(options.params?.[key] ?? '');
    if (value !== undefined && usableSecrets(value).length === 0) {
      throw new Error(`${key}: its secret must be at least ${minSecretLength} characters`);
    }
  }
  const dynamodb = await startLocalDynamoDB(options.dynamodb ?? 'dynalite');
  const emulator = await startWickrEmulator({
    port: options.wickrPort ?? 0,
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const functions = new Map<string, LambdaFunction>();
  const queueSources: SqsEventSource[] = [];
  const functionUrls = new Map<string, string>();
  const urlServers: { close(): Promise<void> }[] = [];
  const log = new InvocationLog();
  const accountId = '000000000000';
  let endpoint = '';
  const sqs = new LocalSqs({
    queues: queuesFor(service, options.timeoutSeconds),
    region,
    accountId,
    endpoint: () => endpoint,
    policies: service.queuePolicies,
  });
  // Each function signs with a key of its own, mapped to its role: policies see the principal AWS would see.
  const identities = new Map([
    ...service.functions.map((f) => [functionAccessKey(f.name), f.roleArn] as const),
    ...(options.identities ?? []),
  ]);
  const bus = new LocalEventBus({
    service,
    functions,
    sqs,
    log,
    queueSources: () => queueSources,
    region,
    accountId,
    retryDelaysMs: options.retryDelaysMs,
    port: options.busPort,
    identities,
    secrets: options.secrets,
    ssmParameters: new Map(options.ssmParameters ?? []),
  });
  // S3 tells EventBridge of new objects in a bucket whose notifications are on: S3's event, on the default bus.
  const s3 = new LocalS3(service.buckets, (o) =>
    bus.putServiceEvent(
      'default',
      'aws.s3',
      'Object Created',
      {
        version: '0',
        bucket: { name: o.bucket },
        object: { key: o.key, size: o.size, etag: o.etag, 'version-id': o.versionId, sequencer: o.sequencer },
        'request-id': randomUUID().slice(0, 16).toUpperCase(),
        requester: accountId,
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
      [`arn:aws:s3:::${o.bucket}`],
    ),
  );
  try {
    await createTables(dynamodb.client, service.tables);
    endpoint = await bus.listen();
    await s3.listen();
    for (const definition of service.functions) {
      const declared = { ...service.providerEnvironment, ...definition.environment };
      const environment: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        ...Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, environmentValue(v, sqs, service)])),
        AWS_REGION: region,
        ALLOW_LOCAL_ENDPOINTS: 'true',
        AWS_ACCESS_KEY_ID: functionAccessKey(definition.name),
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_LAMBDA_FUNCTION_NAME: definition.name,
        LAMBDA_TASK_ROOT: service.dir,
        POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
        // No CloudWatch here: EMF lines would only crowd the output (pass `environment` to see them).
        POWERTOOLS_METRICS_DISABLED: 'true',
        WICKR_ENDPOINT: emulator.endpoint,
        DYNAMODB_ENDPOINT: dynamodb.endpoint,
        // The bus's one endpoint serves EventBridge, SQS, SSM, Security Hub and PagerDuty's REST API, as theirs would.
        ...Object.fromEntries(['EVENTBRIDGE', 'SQS', 'SSM', 'SECURITYHUB'].map((s) => [`${s}_ENDPOINT`, bus.endpoint])),
        S3_ENDPOINT: s3.endpoint,
        PAGERDUTY_API_ENDPOINT: `${bus.endpoint}/pagerduty`,
        ...options.environment,
      };
      const fn = options.timeoutSeconds ? { ...definition, timeoutSeconds: options.timeoutSeconds } : definition;
      const crash = options.crashRate ? { rate: options.crashRate, random: options.random ?? Math.random } : undefined;
      const limit =
        definition.reservedConcurrency ??
        minimum(
          service.queueSources.filter((q) => q.functionName === definition.name).map((q) => q.maximumConcurrency),
        ) ??
        options.maxEnvironmentsPerFunction ??
        defaultMaxEnvironments;
      const spec = { definition: fn, serviceDir: service.dir, environment, region };
      functions.set(definition.name, new LambdaFunction(spec, limit, crash));
    }
    for (const source of service.queueSources) {
      const fn = functions.get(source.functionName);
      if (!fn) throw new Error(`No function ${source.functionName} for the queue ${source.queue}`);
      queueSources.push(new SqsEventSource(source, sqs, fn, log, region));
    }
    for (const source of queueSources) source.start();
    for (const definition of service.functions.filter((f) => f.url)) {
      const fn = functions.get(definition.name) as LambdaFunction;
      const served = await serveFunctionUrl(
        fn,
        0,
        definition.urlAuthType === 'AWS_IAM' ? iamAuthenticator(identities, options.secrets, accountId) : undefined,
        log,
      );
      urlServers.push(served);
      functionUrls.set(definition.name, served.url);
    }
  } catch (error) {
    await Promise.allSettled([
      ...queueSources.map((q) => q.stop()),
      ...urlServers.map((u) => u.close()),
      bus.close(),
      s3.close(),
      emulator.close(),
      dynamodb.close(),
    ]);
    throw error;
  }
  return {
    eventBridgeEndpoint: bus.endpoint,
    s3Endpoint: s3.endpoint,
    s3,
    wickrEndpoint: emulator.endpoint,
    dynamodbEndpoint: dynamodb.endpoint,
    busName: service.busName,
    region,
    service,
    bus,
    emulator,
    dynamodb,
    sqs,
    functions,
    queueSources,
    functionUrls,
    onInvocation: (listener) => log.onRecord(listener),
    close: async () => {
      await Promise.allSettled(queueSources.map((q) => q.stop()));
      await Promise.allSettled(urlServers.map((u) => u.close()));
      await Promise.allSettled([...functions.values()].map((f) => f.close()));
      await Promise.allSettled([bus.close(), s3.close(), emulator.close(), dynamodb.close()]);
    },
  };
}

/**
 * The queues as deployed — except where `timeoutSeconds` shortens the functions: a polled queue's visibility
 * timeout shrinks in the same ratio to its consumer's timeout, so a crashed batch returns as soon, relatively, as on
 * AWS (where it is six times the timeout) instead of after the deployed 12 minutes.
 */
function queuesFor(service: LocalService, timeoutSeconds: number | undefined) {
  if (!timeoutSeconds) return service.queues;
  return service.queues.map((queue) => {
    const consumer = service.queueSources.find((q) => q.queue === queue.logicalId)?.functionName;
    const declared = service.functions.find((f) => f.name === consumer)?.timeoutSeconds;
    if (!declared) return queue;
    const visibilityTimeout = Math.max(1, Math.ceil((queue.visibilityTimeout * timeoutSeconds) / declared));
    return { ...queue, visibilityTimeout };
  });
}

function minimum(values: readonly (number | undefined)[]): number | undefined {
  const set = values.filter((v): v is number => v !== undefined);
  return set.length ? Math.min(...set) : undefined;
}
