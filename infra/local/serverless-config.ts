/**
 * Reads serverless.yml the way the local stack needs it: functions, their EventBridge rules and schedules,
 * async-invoke settings, and the DynamoDB tables, SQS queues, buckets and resource policies of the `${file(...)}`
 * resources (the YAML and its variables: `serverless-yaml.ts`; intrinsics and ARNs: `cloudformation-values.ts`).
 */

import { dirname, resolve } from 'node:path';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { busNameOf, evaluate, logicalIdOf, type References, resourceArns, ruleArn } from './cloudformation-values.js';
import { checkPolicy, type PolicyStatement } from './iam/resource-policy.js';
import type {
  LocalFunctionDefinition,
  LocalQueueSource,
  LocalRule,
  LocalSchedule,
  LocalService,
  QueueDefinition,
} from './local-service.js';
import { policySchedules } from './policy-schedules.js';
import { type Json, loadServerlessConfig, lookup, type ServerlessOptions } from './serverless-yaml.js';

export type * from './local-service.js';
export { loadServerlessConfig, type ServerlessOptions } from './serverless-yaml.js';

/** Reads the functions, rules, schedules, tables and queues the local stack runs. */
export function loadLocalService(path: string, options: ServerlessOptions = {}): LocalService {
  const config = loadServerlessConfig(path, options);
  const resourceList = (Array.isArray(config.resources) ? config.resources : [config.resources]) as Json[];
  const resources: Record<string, Json> = Object.assign(
    {},
    ...resourceList.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? (r.Resources ?? {}) : {})),
  );
  const conditions: Record<string, Json> = Object.assign(
    {},
    ...resourceList.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? (r.Conditions ?? {}) : {})),
  );
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const stage = options.stage ?? 'dev';
  const arns = resourceArns(resources, { region, accountId });
  // Buckets by their names (a `!Sub` of the account and region): `!Ref` of one is its name.
  const names = new Map(
    Object.entries(resources)
      .filter(([, r]) => (r as Record<string, Json>)?.Type === 'AWS::S3::Bucket')
      .map(([id, r]) => {
        const name = evaluate(lookup(r, 'Properties.BucketName'), conditions, { arns, region, accountId });
        return [id, typeof name === 'string' ? name : id.toLowerCase()] as const;
      }),
  );
  for (const [id, name] of names) arns.set(id, `arn:aws:s3:::${name}`);
  const refs: References = { arns, region, accountId, names };
  const functions: LocalFunctionDefinition[] = [];
  const rules: LocalRule[] = [];
  const queueSources: LocalQueueSource[] = [];
  const schedules: LocalSchedule[] = [];
  const provider = (config.provider ?? {}) as Record<string, Json>;
  for (const [name, fn] of Object.entries((config.functions ?? {}) as Record<string, Record<string, Json>>)) {
    const handler = String(fn.handler);
    const dot = handler.lastIndexOf('.');
    const onFailure = lookup(fn, 'destinations.onFailure.arn') as Record<string, Json[]> | undefined;
    functions.push({
      name,
      module: handler.slice(0, dot),
      exportName: handler.slice(dot + 1),
      timeoutSeconds: Number(fn.timeout ?? provider.timeout ?? 6),
      memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024),
      maximumRetryAttempts: Number(fn.maximumRetryAttempts ?? 2),
      maximumEventAge: Number(fn.maximumEventAge ?? 21_600),
      reservedConcurrency: fn.reservedConcurrency === undefined ? undefined : Number(fn.reservedConcurrency),
      environment: (fn.environment ?? {}) as Record<string, Json>,
      failureQueue: onFailure?.['Fn::GetAtt']?.[0] as string | undefined,
      // Without a role of its own, osls gives every function the service's shared role.
      roleArn:
        (typeof fn.role === 'string' ? arns.get(fn.role) : undefined) ??
        `arn:aws:iam::${accountId}:role/${config.service}-${stage}-${region}-lambdaRole`,
      url: fn.url === true || (typeof fn.url === 'object' && fn.url !== null),
      urlAuthType: (fn.url as { authorizer?: string } | null)?.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE',
    });
    ((fn.events ?? []) as Record<string, Record<string, Json>>[]).forEach((event, i) => {
      if (event.eventBridge) {
        const ruleName = `${config.service}-${stage}-${name}-rule-${i + 1}`;
        const bus = busNameOf(event.eventBridge.eventBus, resources);
        arns.set(ruleName, ruleArn(refs, bus, ruleName));
        rules.push({
          name: ruleName,
          target: { kind: 'function', functionName: name },
          enabled: event.eventBridge.enabled !== false,
          eventBus: busNameOf(event.eventBridge.eventBus, resources),
          pattern: event.eventBridge.pattern as Record<string, unknown>,
          deadLetterQueue: logicalIdOf(event.eventBridge.deadLetterQueueArn),
        });
      }
      if (event.sqs) {
        const sqs = (typeof event.sqs === 'string' ? { arn: event.sqs } : event.sqs) as Record<string, Json>;
        const queue = logicalIdOf(sqs.arn);
        if (!queue) throw new Error(`serverless.yml: ${name}'s sqs event must name its queue with !GetAtt Queue.Arn`);
        queueSources.push({
          functionName: name,
          queue,
          batchSize: Number(sqs.batchSize ?? 10),
          maximumBatchingWindowSeconds: Number(sqs.maximumBatchingWindow ?? 0),
          maximumConcurrency: sqs.maximumConcurrency === undefined ? undefined : Number(sqs.maximumConcurrency),
          reportBatchItemFailures: sqs.functionResponseType === 'ReportBatchItemFailures',
          enabled: sqs.enabled !== false,
        });
      }
      if (event.schedule) {
        const schedule = typeof event.schedule === 'string' ? { rate: event.schedule } : event.schedule;
        const rates = [schedule.rate].flat();
        rates.forEach((rate, j) => {
          schedules.push({
            name: String(schedule.name ?? `${name}-schedule-${i + 1}${rates.length > 1 ? `-${j + 1}` : ''}`),
            functionName: name,
            expression: String(rate),
            input: schedule.input,
            kind: 'rule',
            timeZone: 'UTC',
          });
        });
      }
    });
  }
  // This project's plugin derives the rotation's Scheduler schedules from the policy file at packaging: so here.
  const plugins = (Array.isArray(config.plugins) ? config.plugins : []) as Json[];
  if (plugins.includes('./infra/serverless-validate-policy.cjs')) {
    const policyFile = resolve(dirname(resolve(path)), String(lookup(config, 'provider.environment.POLICY_FILE')));
    schedules.push(...policySchedules(loadPolicyFile(policyFile), String(config.service), stage));
  }
  const ofType = (type: string) =>
    Object.entries(resources).filter(([, r]) => (r as Record<string, Json>)?.Type === type);
  // Resources whose CloudFormation condition holds: the ones a deploy with these parameters creates.
  const deployed = (type: string) =>
    ofType(type).filter(([, r]) => {
      const condition = (r as Record<string, Json>).Condition;
      return typeof condition !== 'string' || evaluate(conditions[condition], conditions) === true;
    });
  const queueIds = new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
  // Rules written as resources: the local stack delivers their SQS targets (the functions' rules are above).
  // Rules written as resources whose condition holds (a notification rule without its topic is not deployed).
  for (const [logicalId, resource] of deployed('AWS::Events::Rule')) {
    const p = ((resource as Record<string, Json>).Properties ?? {}) as Record<string, Json>;
    if (!p.EventPattern) continue;
    ((p.Targets ?? []) as Record<string, Json>[]).forEach((target, i) => {
      const queue = logicalIdOf(target.Arn);
      // A log group target (the audit trail) is not delivered: the local bus keeps every event (`/_local/events`).
      if (queue && (resources[queue] as Record<string, Json> | undefined)?.Type === 'AWS::Logs::LogGroup') return;
      // An SNS topic (notifications): not emulated, but what it would have been sent is kept.
      if (typeof target.Arn === 'string' && target.Arn.startsWith('arn:aws:sns:')) {
        const transformer = target.InputTransformer as Record<string, Json> | undefined;
        rules.push({
          name: typeof p.Name === 'string' ? p.Name : `${logicalId}-${i + 1}`,
          target: {
            kind: 'topic',
            topicArn: target.Arn,
            inputTransformer: transformer && {
              inputPathsMap: (transformer.InputPathsMap ?? {}) as Record<string, string>,
              inputTemplate: String(transformer.InputTemplate),
            },
          },
          enabled: (p.State ?? 'ENABLED') === 'ENABLED',
          eventBus: busNameOf(p.EventBusName ?? undefined, resources),
          pattern: evaluate(p.EventPattern, conditions, refs) as Record<string, unknown>,
          deadLetterQueue: logicalIdOf(lookup(target, 'DeadLetterConfig.Arn')),
        });
        return;
      }
      if (target.InputTransformer) throw new Error(`${logicalId}: InputTransformer is not emulated`);
      // A function target: serverless names a function's resource `<Name>LambdaFunction`.
      const fn = functions.find((f) => queue === `${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}LambdaFunction`);
      if (fn) {
        rules.push({
          name: typeof p.Name === 'string' ? p.Name : `${logicalId}-${i + 1}`,
          target: { kind: 'function', functionName: fn.name },
          enabled: (p.State ?? 'ENABLED') === 'ENABLED',
          eventBus: busNameOf(p.EventBusName ?? undefined, resources),
          pattern: evaluate(p.EventPattern, conditions, refs) as Record<string, unknown>,
          deadLetterQueue: logicalIdOf(lookup(target, 'DeadLetterConfig.Arn')),
        });
        return;
      }
      if (!queue || !queueIds.has(queue)) {
        throw new Error(`${logicalId}: the local stack delivers rule resources to SQS queues and functions only`);
      }
      rules.push({
        name: typeof p.Name === 'string' ? p.Name : `${logicalId}-${i + 1}`,
        target: {
          kind: 'queue',
          queue,
          inputPath: typeof target.InputPath === 'string' ? target.InputPath : undefined,
        },
        enabled: (p.State ?? 'ENABLED') === 'ENABLED',
        eventBus: busNameOf(p.EventBusName ?? undefined, resources),
        pattern: evaluate(p.EventPattern, conditions, refs) as Record<string, unknown>,
        deadLetterQueue: logicalIdOf(lookup(target, 'DeadLetterConfig.Arn')),
      });
    });
  }
  return {
    dir: dirname(resolve(path)),
    service: String(config.service),
    stage: options.stage ?? 'dev',
    // The service's own bus: the EventBus resource it defines (`default` when it defines none).
    busName: String(
      (ofType('AWS::Events::EventBus')[0]?.[1] as { Properties?: { Name?: string } })?.Properties?.Name ?? 'default',
    ),
    providerEnvironment: (provider.environment ?? {}) as Record<string, Json>,
    functions,
    rules,
    schedules,
    tables: ofType('AWS::DynamoDB::Table').map(([logicalId, r]) => ({
      logicalId,
      properties: (r as Record<string, Record<string, Json>>).Properties ?? {},
    })),
    queues: ofType('AWS::SQS::Queue').map(([logicalId, r]) => queueDefinition(logicalId, r)),
    queueSources,
    busPolicy: checked(
      deployed('AWS::Events::EventBusPolicy').map(
        ([, r]) => evaluate(lookup(r, 'Properties.Statement'), conditions, refs) as unknown as PolicyStatement,
      ),
      'the bus policy',
    ),
    queuePolicies: queuePolicies(deployed('AWS::SQS::QueuePolicy'), conditions, refs),
    buckets: [...names].map(([logicalId, name]) => {
      const property = (path: string) => lookup(resources[logicalId] ?? null, `Properties.${path}`);
      const days = property('ObjectLockConfiguration.Rule.DefaultRetention.Days');
      return {
        logicalId,
        name,
        eventBridge: property('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled') === true,
        ...(property('ObjectLockEnabled') === true
          ? { objectLock: days === undefined || days === null ? {} : { defaultRetentionDays: Number(days) } }
          : {}),
      };
    }),
    tablePolicies: new Map(
      ofType('AWS::DynamoDB::Table').map(([logicalId, r]) => [
        logicalId,
        checked(
          [evaluate(lookup(r, 'Properties.ResourcePolicy.PolicyDocument.Statement') ?? [], conditions, refs)]
            .flat()
            .filter(Boolean) as unknown as PolicyStatement[],
          `${logicalId}'s resource policy`,
        ),
      ]),
    ),
    arns,
  };
}

function checked(statements: PolicyStatement[], where: string): PolicyStatement[] {
  checkPolicy(statements, where);
  return statements;
}

/** Each queue's statements, from the deployed `AWS::SQS::QueuePolicy` resources that name it. */
function queuePolicies(
  policies: readonly [string, Json][],
  conditions: Record<string, Json>,
  refs: References,
): Map<string, PolicyStatement[]> {
  const byQueue = new Map<string, PolicyStatement[]>();
  for (const [logicalId, resource] of policies) {
    const queues = ((lookup(resource, 'Properties.Queues') ?? []) as Json[]).map(logicalIdOf);
    const statements = evaluate(lookup(resource, 'Properties.PolicyDocument.Statement'), conditions, refs);
    const list = checked(([statements].flat() as unknown as PolicyStatement[]).filter(Boolean), logicalId);
    for (const queue of queues) {
      if (!queue) throw new Error(`${logicalId}: Queues must be !Ref Queue`);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), ...list]);
    }
  }
  return byQueue;
}

function queueDefinition(logicalId: string, resource: Json): QueueDefinition {
  const p = ((resource as Record<string, Json>).Properties ?? {}) as Record<string, Json>;
  let redrive: QueueDefinition['redrive'];
  if (p.RedrivePolicy) {
    const policy = (typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : p.RedrivePolicy) as Record<
      string,
      Json
    >;
    const deadLetterQueue = logicalIdOf(policy.deadLetterTargetArn);
    if (!deadLetterQueue) throw new Error(`${logicalId}: RedrivePolicy.deadLetterTargetArn must be !GetAtt Queue.Arn`);
    redrive = { deadLetterQueue, maxReceiveCount: Number(policy.maxReceiveCount) };
  }
  return {
    logicalId,
    name: typeof p.QueueName === 'string' ? p.QueueName : logicalId,
    fifo: p.FifoQueue === true || p.FifoQueue === 'true',
    visibilityTimeout: Number(p.VisibilityTimeout ?? 30),
    delaySeconds: Number(p.DelaySeconds ?? 0),
    receiveWaitTimeSeconds: Number(p.ReceiveMessageWaitTimeSeconds ?? 0),
    messageRetentionPeriod: Number(p.MessageRetentionPeriod ?? 345_600),
    redrive,
  };
}
