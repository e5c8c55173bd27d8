import type { OperationRoute } from './routes.js';

/** An unsigned restJson1 request, host-independent. */
export interface WireRequest {
  readonly method: string;
  /** Path with each label percent-encoded as one segment. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Percent-encodes a label value as one path segment (RFC 3986 unreserved characters stay as they are). */
export function encodeLabel(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryValue(value: unknown, isTimestamp: boolean): string {
  if (value instanceof Date) return String(Math.floor(value.getTime() / 1000));
  if (isTimestamp && typeof value === 'number') return String(Math.floor(value));
  return String(value);
}

/**
 * Places each member of an already validated input where the route says: labels in the path, query members
 * in the query string, `clientToken` in its header, the rest in one JSON body. Unset members are omitted.
 */
export function toWireRequest(route: OperationRoute, input: Readonly<Record<string, unknown>>): WireRequest {
  const path = route.uri.replace(/\{(\w+)\}/g, (_, name: string) => encodeLabel(String(input[name])));
  const query: Record<string, string> = {};
  for (const [member, name] of Object.entries(route.query)) {
    const value = input[member];
    if (value !== undefined) query[name] = queryValue(value, route.timestamps?.includes(member) ?? false);
  }
  const headers: Record<string, string> = {};
  for (const [member, name] of Object.entries(route.headers)) {
    const value = input[member];
    if (value !== undefined) headers[name] = String(value);
  }
  const body: Record<string, unknown> = {};
  for (const member of route.body) {
    if (input[member] !== undefined) body[member] = input[member];
  }
  if (Object.keys(body).length === 0) return { method: route.method, path, query, headers };
  return {
    method: route.method,
    path,
    query,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
