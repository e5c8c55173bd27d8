/**
 * CloudFormation values as the local stack resolves them: intrinsics (`!If`, `!Sub`, `!GetAtt X.Arn`, …) under
 * the template's conditions, the pseudo parameters, and the ARN AWS forms for each resource from its name.
 */
import { type Json, lookup } from './serverless-yaml.js';

/** What the local stack resolves `!GetAtt X.Arn`, `!Sub` and the pseudo parameters to. */
export interface References {
  /** Resources whose `!Ref` is a name of their own (buckets). */
  readonly names?: ReadonlyMap<string, string>;
  readonly arns: ReadonlyMap<string, string>;
  readonly region: string;
  readonly accountId: string;
}

export const ruleArn = (refs: Pick<References, 'region' | 'accountId'>, bus: string, name: string) =>
  `arn:aws:events:${refs.region}:${refs.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;

/** The ARN of every resource whose ARN a policy may name, as AWS forms it from the resource's name. */
export function resourceArns(resources: Record<string, Json>, refs: Pick<References, 'region' | 'accountId'>) {
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
export function evaluate(
  node: Json | undefined,
  conditions: Record<string, Json>,
  refs?: References,
): Json | undefined {
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
export function logicalIdOf(value: Json | undefined): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ref = value.Ref ?? (value['Fn::GetAtt'] as Json[] | undefined)?.[0];
  return typeof ref === 'string' ? ref : undefined;
}

/** The bus a rule names (`!Ref` of the stack's bus, or a name), by its name. */
export function busNameOf(value: Json | undefined, resources: Record<string, Json>): string {
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
