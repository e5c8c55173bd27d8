/**
 * Where the ops CLI acts: the running local stack (`--local`, found through `.wickr-autopilot/local.json`) or a
 * deployed stage (`--stage`), whose resource names come from the same serverless.yml that deployed it.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import type { PolicyFile } from '../../lib/policy-file/policy-schema.js';
import { createDynamoDBClient, documentClient } from '../../lib/store/dynamodb-client.js';
import { WickrAdminClient } from '../../lib/wickr/index.js';
import { nodeProviderChain, type WickrCredentials } from '../../lib/wickr/signer.js';
import { refuse } from '../command-line.js';
import {
  type LocalEndpoints,
  localCredentials,
  localPrincipals,
  readLocalEndpoints,
} from '../local/local-endpoints.js';
import { type LocalService, loadLocalService } from '../local/serverless-config.js';
import { functionUrlOf } from './operator-entry.js';

/** Everything a command needs of the deployment it acts on. */
export interface OpsTarget {
  readonly kind: 'local' | 'stage';
  readonly region: string;
  readonly busName: string;
  readonly stateTable: string;
  readonly incidentSource: string;
  readonly policy: PolicyFile;
  /** Failure and dead-letter queues, by logical id. */
  readonly failureQueues: readonly string[];
  /** Physical queue names, by logical id (deployed stages: for GetQueueUrl). */
  readonly queueNames: ReadonlyMap<string, string>;
  /** The local stack's bus endpoint (it serves `/_local/` too). */
  readonly localEndpoint?: string | undefined;
  /** The local stack's S3 stand-in. */
  readonly s3Endpoint?: string | undefined;
  /** The key local requests are signed with (`--as`), else `local`. */
  readonly accessKeyId?: string | undefined;
  /** The deployment as this serverless.yml describes it: its rules decide what a redrive may put back. */
  readonly service: LocalService;
  readonly db: DynamoDBDocumentClient;
  readonly eventBridge: EventBridgeClient;
  /**
   * What the cockpit signs the operators' entry point with: the `--as` key locally (else the local stack's operator),
   * on a stage the SDK's credential chain (your own identity).
   */
  readonly credentials: WickrCredentials;
  /** The operators' entry point's URL: the local stack's, or the stage's (asked of Lambda when first needed). */
  readonly operatorUrl: () => Promise<string>;
  readonly wickr: WickrAdminClient;
}

/** Resolves `--local` or `--stage S [--region R]`; exits 2 naming what is missing. */
export function opsTarget(options: { local?: boolean; stage?: string; region?: string; as?: string }): OpsTarget {
  if (Boolean(options.local) === Boolean(options.stage)) refuse('give --local or --stage (one of them)', 'ops');
  if (options.as && !options.local) refuse('--as: only with --local (a stage uses your AWS credentials)', 'ops');
  const local = options.local ? readLocalEndpoints() : undefined;
  if (options.local && !local) refuse('--local: no local stack is running (npm start -- --serve)', 'ops');
  return targetOf(local, options);
}

/**
 * The target for a running local stack's endpoints (or, without them, a deployed stage); `service` as that stack
 * loaded serverless.yml, where it was started with parameters.
 */
export function targetOf(
  local: LocalEndpoints | undefined,
  options: { stage?: string | undefined; region?: string | undefined; as?: string | undefined; service?: LocalService },
): OpsTarget {
  const credentials = localCredentials(options.as);
  const stage = options.stage ?? 'local';
  const service = options.service ?? loadLocalService('serverless.yml', { stage });
  const env = service.providerEnvironment as Record<string, unknown>;
  const region = local?.region ?? options.region ?? 'us-east-1';
  const polled = new Set(service.queueSources.map((q) => q.queue));
  return {
    kind: local ? 'local' : 'stage',
    region,
    busName: local?.busName ?? service.busName,
    stateTable: local?.stateTable ?? String(env.STATE_TABLE),
    incidentSource: String(env.INCIDENT_SOURCE),
    policy: loadPolicyFile(String(env.POLICY_FILE)),
    failureQueues: service.queues.filter((q) => !polled.has(q.logicalId)).map((q) => q.logicalId),
    queueNames: new Map(service.queues.map((q) => [q.logicalId, q.name])),
    localEndpoint: local?.eventBridgeEndpoint,
    s3Endpoint: local?.s3Endpoint,
    accessKeyId: options.as,
    service,
    db: documentClient(createDynamoDBClient(region, local?.dynamodbEndpoint)),
    credentials: local ? localCredentials(options.as ?? localPrincipals.operator.accessKeyId) : nodeProviderChain,
    operatorUrl: async () =>
      local?.functionUrls?.operatorActions ??
      (local
        ? refuse('the local stack serves no operators entry point (restart it: npm start -- --serve)', 'ops')
        : functionUrlOf(`${service.service}-${stage}-operatorActions`, region, nodeProviderChain)),
    eventBridge: new EventBridgeClient({
      region,
      ...(local ? { endpoint: local.eventBridgeEndpoint, credentials } : {}),
    }),
    wickr: new WickrAdminClient({
      region,
      ...(local ? { endpoint: local.wickrEndpoint, credentials: localCredentials() } : {}),
    }),
  };
}
