/**
 * Reads serverless.yml the way the local stack needs it: functions, their EventBridge rules and schedules,
 * async-invoke settings, and the DynamoDB tables and SQS queues of the `${file(...)}` resources. Resolves the
 * variables this project uses (`${param:}`, `${self:}`, `${sls:stage}`, `${opt:}`, `${file()}`), and keeps
 * CloudFormation intrinsics (`!Ref`, `!GetAtt`, …) as their JSON forms.
 */

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';
import { reviewSchedule } from '../../lib/access-review/review-schedule.js';
import { loadPolicyFile } from '../../lib/policy-file/policy-file.js';
import { rotationSchedules } from '../../lib/rotation/rotation-schedules.js';
import { reviewScheduleName, scheduleName, sweepExpression, sweepScheduleName } from '../rotation-scheduler.js';
import type { InputTransformer } from './events/input-transformer.js';
import { checkPolicy, type PolicyStatement } from './iam/resource-policy.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const intrinsic = (tag: string, fn: string, split = false) => ({
  tag,
  resolve: (value: string) => ({ [fn]: split && typeof value === 'string' ? value.split('.') : value }),
});
const cfnTags: Tags = ['Ref', 'GetAtt', 'Sub', 'If', 'Not', 'Equals', 'Join', 'Select', 'Split', 'And', 'Or'].flatMap(
  (name) => {
    const fn = name === 'Ref' ? 'Ref' : `Fn::${name}`;
    return [
      { ...intrinsic(`!${name}`, fn, name === 'GetAtt') },
      {
        tag: `!${name}`,
        collection: 'seq' as const,
        resolve: (value: unknown) => ({ [fn]: (value as { toJSON(): unknown }).toJSON() }),
      },
    ];
  },
);

function readYaml(path: string): Json {
  return parse(readFileSync(path, 'utf8'), { customTags: cfnTags }) as Json;
}

/** Options that `osls` would take from the command line. */
export interface ServerlessOptions {
  readonly stage?: string;
  readonly region?: string;
  /** The account the local stack stands for, in the ARNs it resolves. */
  readonly accountId?: string;
  /** Overrides of `params.default`. */
  readonly params?: Readonly<Record<string, string>>;
}

function lookup(root: Json, path: string): Json | undefined {
  let node: Json | undefined = root;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** serverless.yml with its variables resolved. */
export function loadServerlessConfig(path: string, options: ServerlessOptions = {}): Record<string, Json> {
  const dir = dirname(resolve(path));
  const raw = readYaml(path) as Record<string, Json>;
  const stage = options.stage ?? 'dev';
  const params: Record<string, Json> = {
    ...((lookup(raw, 'params.default') as Record<string, Json>) ?? {}),
    ...options.params,
  };

  const variable = (expression: string, depth: number): Json | undefined => {
    const [head = '', fallback] = expression.split(/,\s*/);
    const literal = fallback?.match(/^['"](.*)['"]$/)?.[1];
    let value: Json | undefined;
    const file = head.match(/^file\((.+)\)$/);
    const toBool = head.match(/^strToBool\((.*)\)$/);
    if (file?.[1]) value = readYaml(resolve(dir, file[1]));
    else if (toBool) value = toBool[1]?.trim() === 'true';
    else if (head === 'sls:stage') value = stage;
    else if (head === 'opt:stage') value = options.stage;
    else if (head === 'opt:region') value = options.region;
    // The deployment's region: the provider's, `\${opt:region, 'us-east-1'}`.
    else if (head === 'aws:region') value = options.region ?? 'us-east-1';
    else if (head.startsWith('param:')) value = params[head.slice(6)];
    else if (head.startsWith('self:')) value = lookup(raw, head.slice(5));
    else if (/^[a-z]+:[^:]/.test(head)) throw new Error(`serverless.yml: unsupported variable \${${expression}}`);
    // Anything else (`\${AWS::Region}`, `\${Name}`) belongs to CloudFormation's !Sub.
    else return `\${${expression}}`;
    value ??= literal;
    return value === undefined ? undefined : resolveNode(value, depth + 1);
  };

  const resolveNode = (node: Json, depth = 0): Json => {
    if (depth > 20) throw new Error('serverless.yml: variables nest too deep');
    if (typeof node === 'string') {
      const whole = node.match(/^\$\{([^{}]+)\}$/);
      if (whole?.[1]) return variable(whole[1], depth) ?? '';
      // Innermost variables first, so `\${strToBool(\${param:x})}` resolves in two steps.
      const inner = node.replace(/\$\{([^{}]+)\}/g, (_, expression: string) =>
        String(variable(expression, depth) ?? ''),
      );
      return inner !== node && /\$\{[^{}]+\}/.test(inner) && !/\$\{AWS::/.test(inner)
        ? resolveNode(inner, depth + 1)
        : inner;
    }
    if (Array.isArray(node)) return node.map((n) => resolveNode(n, depth));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveNode(v, depth)]));
    }
    return node;
  };
  return resolveNode(raw) as Record<string, Json>;
}

/** Where a rule delivers: a function (asynchronous invocation) or a queue (SendMessage). */
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
  /** The buckets, by logical id: their names, and whether S3 tells EventBridge of their objects. */
  readonly buckets: readonly { logicalId: string; name: string; eventBridge: boolean }[];
  /** The ARN of each resource the policies name, by logical id (roles, queues, rules, the bus, tables). */
  readonly arns: ReadonlyMap<string, string>;
}

function busNameOf(value: Json | undefined, resources: Record<string, Json>): string {
  if (value === undefined) return 'default';
  // A partner bus's name has slashes of its own (`aws.partner/okta.com/acme/wickr`): an ARN's name is all after `event-bus/`.
  if (typeof value === 'string')
    return value.startsWith('arn:') ? value.slice(value.indexOf(':event-bus/') + 11) : value;
  const ref =
    (value as Record<string, Json>).Ref ?? ((value as Record<string, Json>)['Fn::GetAtt'] as Json[] | undefined)?.[0];
  const bus = lookup(resources, `${String(ref)}.Properties.Name`);
  if (typeof bus !== 'string') throw new Error(`serverless.yml: cannot tell which bus ${JSON.stringify(value)} is`);
  return bus;
}

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
    const policy = loadPolicyFile(policyFile);
    for (const schedule of rotationSchedules(policy.rotation)) {
      schedules.push({
        name: scheduleName(String(config.service), stage, schedule),
        functionName: 'policyRotation',
        expression: schedule.expression,
        kind: 'scheduler',
        timeZone: schedule.timeZone,
      });
    }
    schedules.push({
      name: sweepScheduleName(String(config.service), stage),
      functionName: 'accountContainment',
      expression: sweepExpression,
      kind: 'scheduler',
      timeZone: 'UTC',
    });
    const review = reviewSchedule(policy.accessReview);
    if (review) {
      schedules.push({
        name: reviewScheduleName(String(config.service), stage),
        functionName: 'accessReview',
        expression: review.expression,
        kind: 'scheduler',
        timeZone: review.timeZone,
      });
    }
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
    buckets: [...names].map(([logicalId, name]) => ({
      logicalId,
      name,
      eventBridge:
        lookup(
          resources[logicalId] ?? null,
          'Properties.NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
        ) === true,
    })),
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

/** What the local stack resolves `!GetAtt X.Arn`, `!Sub` and the pseudo parameters to. */
interface References {
  /** Resources whose `!Ref` is a name of their own (buckets). */
  readonly names?: ReadonlyMap<string, string>;
  readonly arns: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
}

const ruleArn = (refs: Pick<References, 'region' | 'accountId'>, bus: string, name: string) =>
  `arn:aws:events:${refs.region}:${refs.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;

/** The ARN of every resource whose ARN a policy may name, as AWS forms it from the resource's name. */
function resourceArns(resources: Record<string, Json>, refs: Pick<References, 'region' | 'accountId'>) {
  const arns = new Map<string, string>();
  const { region, accountId } = refs;
  for (const [logicalId, resource] of Object.entries(resources)) {
    const r = (resource ?? {}) as Record<string, Json>;
    const p = (r.Properties ?? {}) as Record<string, Json>;
    const name = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : logicalId);
    switch (r.Type) {
      case 'AWS::IAM::Role':
        arns.set(logicalId, `arn:aws:iam::${accountId}:role/${name('RoleName')}`);
        break;
      case 'AWS::SQS::Queue':
        arns.set(logicalId, `arn:aws:sqs:${region}:${accountId}:${name('QueueName')}`);
        break;
      case 'AWS::Events::EventBus':
        arns.set(logicalId, `arn:aws:events:${region}:${accountId}:event-bus/${name('Name')}`);
        break;
      case 'AWS::Events::Rule':
        arns.set(logicalId, ruleArn(refs, busNameOf(p.EventBusName ?? undefined, resources), name('Name')));
        break;
      case 'AWS::DynamoDB::Table':
        arns.set(logicalId, `arn:aws:dynamodb:${region}:${accountId}:table/${name('TableName')}`);
        break;
      case 'AWS::KMS::Key':
        arns.set(logicalId, `arn:aws:kms:${region}:${accountId}:key/${logicalId}`);
        break;
    }
  }
  return arns;
}

/**
 * The CloudFormation intrinsics the resource policies and their conditions use: `Fn::Equals`, `Fn::Not`, `Fn::And`,
 * `Fn::Or`, `Condition`, `Fn::If` (with `AWS::NoValue`), `Fn::Split`, and — given `refs` — `Fn::GetAtt X.Arn`,
 * `Fn::Sub` and the pseudo parameters. Anything else is kept as it is.
 */
function evaluate(node: Json | undefined, conditions: Record<string, Json>, refs?: References): Json | undefined {
  if (node === undefined || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    return node.map((n) => evaluate(n, conditions, refs)).filter((n) => n !== undefined) as Json[];
  }
  const entries = Object.entries(node);
  // An intrinsic is an object of one key (an IAM statement's own `Condition` sits beside `Effect`).
  const [fn, args] = entries.length === 1 ? (entries[0] as [string, Json]) : ['', null];
  const list = () => (Array.isArray(args) ? args : [args]).map((a) => evaluate(a as Json, conditions, refs));
  switch (fn) {
    case 'Fn::Equals': {
      const [a, b] = list();
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return list()[0] !== true;
    case 'Fn::And':
      return list().every((v) => v === true);
    case 'Fn::Or':
      return list().some((v) => v === true);
    case 'Condition':
      return typeof args === 'string' ? evaluate(conditions[args], conditions, refs) : { Condition: list()[0] as Json };
    case 'Fn::If': {
      const [condition, yes, no] = args as Json[];
      const holds = evaluate(conditions[String(condition)], conditions, refs) === true;
      return evaluate(holds ? yes : no, conditions, refs);
    }
    case 'Fn::Split': {
      const [separator, text] = list();
      return String(text).split(String(separator));
    }
    case 'Ref':
      if (args === 'AWS::NoValue') return undefined;
      return refs && typeof args === 'string' ? (refs.names?.get(args) ?? pseudo(args, refs) ?? node) : node;
    case 'Fn::GetAtt': {
      const [id, attribute] = args as Json[];
      return (attribute === 'Arn' && refs?.arns.get(String(id))) || node;
    }
    case 'Fn::Sub':
      if (!refs || typeof args !== 'string') return node;
      return args.replace(/\$\{([\w:.]+)\}/g, (whole, name: string) => {
        const [id, attribute] = name.split('.');
        return (attribute === 'Arn' ? refs.arns.get(id ?? '') : pseudo(name, refs)) ?? whole;
      });
    default:
      return Object.fromEntries(
        Object.entries(node)
          .map(([k, v]) => [k, evaluate(v, conditions, refs)] as const)
          .filter(([, v]) => v !== undefined),
      ) as Json;
  }
}

function pseudo(name: string, refs: References): string | undefined {
  if (name === 'AWS::Partition') return 'aws';
  if (name === 'AWS::Region') return refs.region;
  if (name === 'AWS::AccountId') return refs.accountId;
  return undefined;
}

/** The logical id in `!GetAtt X.Arn` or `!Ref X`, when a value is one. */
function logicalIdOf(value: Json | undefined): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ref = value.Ref ?? (value['Fn::GetAtt'] as Json[] | undefined)?.[0];
  return typeof ref === 'string' ? ref : undefined;
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
