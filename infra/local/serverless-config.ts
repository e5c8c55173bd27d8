/**
 * Reads serverless.yml the way the local stack needs it: functions, their EventBridge rules and schedules,
 * async-invoke settings, and the DynamoDB tables and SQS queues of the `${file(...)}` resources. Resolves the
 * variables this project uses (`${param:}`, `${self:}`, `${sls:stage}`, `${opt:}`, `${file()}`), and keeps
 * CloudFormation intrinsics (`!Ref`, `!GetAtt`, …) as their JSON forms.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';

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

/** One EventBridge rule of a function. */
export interface LocalRule {
  readonly name: string;
  readonly functionName: string;
  readonly enabled: boolean;
  readonly eventBus: string;
  readonly pattern: Record<string, unknown>;
}

/** One schedule of a function. */
export interface LocalSchedule {
  readonly name: string;
  readonly functionName: string;
  readonly expression: string;
  readonly input?: unknown;
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
  readonly environment: Readonly<Record<string, Json>>;
  /** Logical id of the queue its failures go to. */
  readonly failureQueue?: string | undefined;
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
  readonly queues: readonly string[];
}

function busNameOf(value: Json | undefined, resources: Record<string, Json>): string {
  if (value === undefined) return 'default';
  if (typeof value === 'string') return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
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
  const functions: LocalFunctionDefinition[] = [];
  const rules: LocalRule[] = [];
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
      environment: (fn.environment ?? {}) as Record<string, Json>,
      failureQueue: onFailure?.['Fn::GetAtt']?.[0] as string | undefined,
    });
    ((fn.events ?? []) as Record<string, Record<string, Json>>[]).forEach((event, i) => {
      if (event.eventBridge) {
        rules.push({
          name: `${config.service}-${options.stage ?? 'dev'}-${name}-rule-${i + 1}`,
          functionName: name,
          enabled: event.eventBridge.enabled !== false,
          eventBus: busNameOf(event.eventBridge.eventBus, resources),
          pattern: event.eventBridge.pattern as Record<string, unknown>,
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
          });
        });
      }
    });
  }
  const ofType = (type: string) =>
    Object.entries(resources).filter(([, r]) => (r as Record<string, Json>)?.Type === type);
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
    queues: ofType('AWS::SQS::Queue').map(([logicalId]) => logicalId),
  };
}
