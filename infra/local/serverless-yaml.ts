/**
 * serverless.yml as osls reads it, for what this project uses: the variables (`${param:}`, `${self:}`,
 * `${sls:stage}`, `${opt:}`, `${file()}`) resolved, and CloudFormation's short intrinsics (`!Ref`, `!GetAtt`, …)
 * kept as their JSON forms.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';

/** A YAML or JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

export function readYaml(path: string): Json {
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

/** The value at a dotted path (`a.b.c`), or undefined. */
export function lookup(root: Json, path: string): Json | undefined {
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
