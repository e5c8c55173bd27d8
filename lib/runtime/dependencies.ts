import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chainOwnerOf } from '../audit/chain-link.js';
import { OutcomeChain } from '../audit/outcome-chain.js';
import type { PolicyFile } from '../policy-file/policy-schema.js';
import { ChainHeadStore } from '../store/chain-head-store.js';
import { createDynamoDBClient, documentClient } from '../store/dynamodb-client.js';
import { DynamoRequestMeter } from '../store/request-meter.js';
import { abortableSleep, PooledRequestPacer, WickrAdminClient } from '../wickr/index.js';
import { runtimeConfig } from './config.js';
import { SqsFailureSink } from './failure-sink.js';
import { logger } from './logger.js';
import { metricsPort } from './metrics.js';
import { EventBridgeOutcomePublisher, eventBridgePutEvents } from './outcome-publisher.js';
import { loadRuntimePolicy } from './policy-source.js';
import { SqsJsonSender } from './sqs-sender.js';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/** Clients and settings built once per execution environment, on first use, from the runtime config. */
export const dependencies = {
  config: runtimeConfig,
  logger: () => logger,
  policy: once((): Promise<PolicyFile> => loadRuntimePolicy(runtimeConfig().policyFile)),
  wickr: once((): WickrAdminClient => {
    const c = runtimeConfig();
    const pool = c.wickrBudgetPool;
    return new WickrAdminClient({
      region: c.region,
      endpoint: c.wickrEndpoint,
      ...(c.localEndpoints ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      requestsPerSecond: c.wickrRequestsPerSecond,
      pacer: pool
        ? new PooledRequestPacer(
            c.wickrRequestsPerSecond,
            new DynamoRequestMeter(dependencies.documentDb(), c.stateTable, pool),
            Date.now,
            abortableSleep,
          )
        : undefined,
      logger,
      onAttempt: (_operation, status) => {
        metricsPort.add('WickrRequests', 1);
        if (status === 429) metricsPort.add('WickrThrottled', 1);
      },
    });
  }),
  dynamodb: once((): DynamoDBClient => createDynamoDBClient(runtimeConfig().region, runtimeConfig().dynamodbEndpoint)),
  documentDb: once((): DynamoDBDocumentClient => documentClient(dependencies.dynamodb())),
  publisher: once((): EventBridgeOutcomePublisher => {
    const c = runtimeConfig();
    return new EventBridgeOutcomePublisher(
      eventBridgePutEvents(c.region, c.eventBridgeEndpoint, c.localAccessKeyId),
      c.eventBusName,
      c.outcomeSource,
      c.functionName,
      c.functionName
        ? new OutcomeChain(chainOwnerOf(c.functionName), new ChainHeadStore(dependencies.documentDb(), c.stateTable))
        : undefined,
    );
  }),
  /** The reconcile function's queue, where a network goes on in a fresh invocation. */
  handover: once(() => {
    const c = runtimeConfig();
    return c.reconcileQueueUrl
      ? new SqsJsonSender(c.region, c.reconcileQueueUrl, c.sqsEndpoint, c.localAccessKeyId)
      : undefined;
  }),
  /** The HR queue, for the consumer's own delayed follow-ups. */
  hrFollowUp: once(() => {
    const c = runtimeConfig();
    return c.hrQueueUrl ? new SqsJsonSender(c.region, c.hrQueueUrl, c.sqsEndpoint, c.localAccessKeyId) : undefined;
  }),
  failureSink: once(() => {
    const c = runtimeConfig();
    return c.failureQueueUrl
      ? new SqsFailureSink(c.region, c.failureQueueUrl, c.sqsEndpoint, c.localAccessKeyId)
      : undefined;
  }),
};
