/**
 * An EventBridge event pattern matcher, after the documented semantics: a pattern mirrors the event's structure,
 * every leaf is an array of conditions of which one must hold, and all fields must match. Arrays in the event
 * match when any element matches. `$or` at any level matches when one of its patterns does.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** An EventBridge event pattern. */
export type EventPattern = { readonly [key: string]: unknown };

/** A pattern the matcher cannot read. */
export class EventPatternError extends Error {
  override name = 'EventPatternError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function sameLiteral(expected: unknown, actual: unknown): boolean {
  return expected === actual;
}

function textMatch(spec: unknown, value: unknown, test: (text: string, needle: string) => boolean): boolean {
  if (typeof value !== 'string') return false;
  if (typeof spec === 'string') return test(value, spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), spec['equals-ignore-case'].toLowerCase());
  }
  throw new EventPatternError(`Unreadable text condition ${JSON.stringify(spec)}`);
}

// `*` matches any run of characters; `\*` and `\\` stand for a literal star and backslash.
function wildcardRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      source += `\\${pattern[++i]}`;
    } else if (c === '*') source += '.*';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function wildcardMatch(spec: unknown, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const patterns = Array.isArray(spec) ? spec : [spec];
  return patterns.some((p) => typeof p === 'string' && wildcardRegex(p).test(value));
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

function cidrMatch(spec: unknown, value: unknown): boolean {
  if (typeof spec !== 'string' || typeof value !== 'string') return false;
  const [network = '', bitsText] = spec.split('/');
  const v4 = parseIPv4(network) !== undefined;
  const width = v4 ? 32 : 128;
  const parse = v4 ? parseIPv4 : parseIPv6;
  const base = parse(network);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > width) {
    throw new EventPatternError(`Unreadable cidr ${spec}`);
  }
  const address = parse(value);
  if (address === undefined) return false;
  const shift = BigInt(width - bits);
  return address >> shift === base >> shift;
}

const comparators: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericMatch(spec: unknown, value: unknown): boolean {
  if (!Array.isArray(spec) || spec.length % 2 !== 0 || spec.length === 0) {
    throw new EventPatternError(`Unreadable numeric condition ${JSON.stringify(spec)}`);
  }
  if (typeof value !== 'number') return false;
  for (let i = 0; i < spec.length; i += 2) {
    const compare = comparators[String(spec[i])];
    const bound = spec[i + 1];
    if (!compare || typeof bound !== 'number') throw new EventPatternError(`Unreadable numeric condition ${spec}`);
    if (!compare(value, bound)) return false;
  }
  return true;
}

function anythingBut(spec: unknown, value: unknown): boolean {
  if (Array.isArray(spec)) return !spec.some((s) => sameLiteral(s, value));
  if (!isObject(spec)) return !sameLiteral(spec, value);
  if ('prefix' in spec) return typeof value === 'string' && !textMatch(spec.prefix, value, (t, n) => t.startsWith(n));
  if ('suffix' in spec) return typeof value === 'string' && !textMatch(spec.suffix, value, (t, n) => t.endsWith(n));
  if ('wildcard' in spec) return typeof value === 'string' && !wildcardMatch(spec.wildcard, value);
  if ('equals-ignore-case' in spec) {
    const options = [spec['equals-ignore-case']].flat().map(lower);
    return typeof value === 'string' && !options.includes(value.toLowerCase());
  }
  throw new EventPatternError(`Unreadable anything-but ${JSON.stringify(spec)}`);
}

function matchValue(condition: unknown, value: Json): boolean {
  if (!isObject(condition)) return sameLiteral(condition, value);
  const [operator, ...others] = Object.keys(condition);
  if (operator === undefined || others.length > 0) {
    throw new EventPatternError(`A condition holds exactly one operator: ${JSON.stringify(condition)}`);
  }
  const spec = condition[operator];
  switch (operator) {
    case 'prefix':
      return textMatch(spec, value, (t, n) => t.startsWith(n));
    case 'suffix':
      return textMatch(spec, value, (t, n) => t.endsWith(n));
    case 'equals-ignore-case':
      return typeof value === 'string' && lower(spec) === value.toLowerCase();
    case 'anything-but':
      return anythingBut(spec, value);
    case 'numeric':
      return numericMatch(spec, value);
    case 'wildcard':
      return wildcardMatch(spec, value);
    case 'cidr':
      return cidrMatch(spec, value);
    default:
      throw new EventPatternError(`Unknown operator ${operator}`);
  }
}

function matchLeaf(conditions: readonly unknown[], field: Json | undefined): boolean {
  // An array is flattened into its elements; an empty one leaves nothing to match.
  const values: Json[] = field === undefined ? [] : Array.isArray(field) ? field : [field];
  // Conditions look at leaf values only: an object (an intermediate node) neither exists nor matches anything,
  // not even anything-but.
  const leaves = values.filter((v) => !isObject(v));
  return conditions.some((condition) => {
    if (isObject(condition) && 'exists' in condition) return condition.exists === leaves.length > 0;
    return leaves.some((value) => matchValue(condition, value));
  });
}

function matchObject(pattern: EventPattern, value: Json | undefined): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2)
        throw new EventPatternError('$or takes an array of at least 2 patterns');
      if (!sub.some((p) => isObject(p) && matchObject(p, value))) return false;
      continue;
    }
    const field = isObject(value) ? (value as Record<string, Json>)[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else if (isObject(sub)) {
      const candidates = Array.isArray(field) ? field : [field];
      if (!candidates.some((candidate) => matchObject(sub, candidate))) return false;
    } else {
      throw new EventPatternError(`Pattern field "${key}" must be an array of conditions or an object`);
    }
  }
  return true;
}

/** Whether `event` matches the EventBridge `pattern`. Throws EventPatternError for a pattern it cannot read. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(pattern)) throw new EventPatternError('A pattern is a JSON object');
  return matchObject(pattern, event as Json);
}
