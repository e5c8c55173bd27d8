/** The service the local stack runs, as `loadLocalService` reads it from serverless.yml. */
import type { InputTransformer } from './events/input-transformer.js';
import type { PolicyStatement } from './iam/resource-policy.js';
import type { LocalBucket } from './s3/local-s3.js';
import type { Json } from './serverless-yaml.js';

export type RuleTarget =
  | { readonly kind: 'function'; readonly functionName: string }
  | { readonly kind: 'queue'; readonly queue: string; readonly inputPath?: string | undefined }
  /** An SNS topic: not emulated; what it would have been sent is kept (`GET /_local/notifications`). */
  | { readonly kind: 'topic'; readonly topicArn: string; readonly inputTransformer?: InputTransformer | undefined };

/** One EventBridge rule: a function's `eventBridge` event, or an `AWS::Events::Rule` resource. */
export interface LocalRule {
  readonly name: string;
  readonly enabled: boolean;
  readonly eventBus: string;
  readonly pattern: Record<string, unknown>;
  readonly target: RuleTarget;
  /** Where the rule puts what it could not deliver. */
  readonly deadLetterQueue?: string | undefined;
}

/** A Lambda event source mapping from an SQS queue (a function's `sqs` event). */
export interface LocalQueueSource {
  readonly functionName: string;
  readonly queue: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumConcurrency: number | undefined;
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

/** An SQS queue from the CloudFormation resources, with the attributes the local SQS honours. */
export interface QueueDefinition {
  readonly logicalId: string;
  readonly name: string;
  readonly fifo: boolean;
  readonly visibilityTimeout: number;
  readonly delaySeconds: number;
  readonly receiveWaitTimeSeconds: number;
  readonly messageRetentionPeriod: number;
  readonly redrive?: { readonly deadLetterQueue: string; readonly maxReceiveCount: number } | undefined;
}

/** One schedule of a function: an EventBridge schedule rule, or an EventBridge Scheduler schedule. */
export interface LocalSchedule {
  readonly name: string;
  readonly functionName: string;
  readonly expression: string;
  readonly input?: unknown;
  /** Scheduler schedules run in a time zone and deliver the rotation's own input (infra/rotation-scheduler.ts). */
  readonly kind: 'rule' | 'scheduler';
  readonly timeZone: string;
}

/** A function as the local stack runs it. */
export interface LocalFunctionDefinition {
  readonly name: string;
  /** The module path, relative to the service directory. */
  readonly module: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAge: number;
  /** `reservedConcurrency`, when the function sets one. */
  readonly reservedConcurrency?: number | undefined;
  readonly environment: Readonly<Record<string, Json>>;
  /** Logical id of the queue its failures go to. */
  readonly failureQueue?: string | undefined;
  /** The ARN of its execution role (what AWS sees as `aws:PrincipalArn` when it calls a service). */
  readonly roleArn: string;
  /** Whether it has a function URL (`url: true`, AuthType NONE; `url: { authorizer: aws_iam }`, AuthType AWS_IAM). */
  readonly url: boolean;
  readonly urlAuthType: 'NONE' | 'AWS_IAM';
}

/** A DynamoDB table definition from the CloudFormation resources. */
export interface TableDefinition {
  readonly logicalId: string;
  readonly properties: Record<string, Json>;
}

/** The service as the local stack sees it. */
export interface LocalService {
  readonly dir: string;
  readonly service: string;
  readonly stage: string;
  readonly busName: string;
  readonly providerEnvironment: Readonly<Record<string, Json>>;
  readonly functions: readonly LocalFunctionDefinition[];
  readonly rules: readonly LocalRule[];
  readonly schedules: readonly LocalSchedule[];
  readonly tables: readonly TableDefinition[];
  readonly queues: readonly QueueDefinition[];
  readonly queueSources: readonly LocalQueueSource[];
  /** The statements of the bus's `AWS::Events::EventBusPolicy` resources that are deployed (their condition holds). */
  readonly busPolicy: readonly PolicyStatement[];
  /** Each table's resource policy (its explicit denies), by logical id; the cockpit checks a decision against it. */
  readonly tablePolicies: ReadonlyMap<string, readonly PolicyStatement[]>;
  /** Each queue's resource policy (`AWS::SQS::QueuePolicy`), by logical id, intrinsics resolved. */
  readonly queuePolicies: ReadonlyMap<string, readonly PolicyStatement[]>;
  /** The buckets, by logical id: their names, whether S3 tells EventBridge of their objects, their Object Lock. */
  readonly buckets: readonly (LocalBucket & { readonly logicalId: string })[];
  /** The ARN of each resource the policies name, by logical id (roles, queues, rules, the bus, tables). */
  readonly arns: ReadonlyMap<string, string>;
}
