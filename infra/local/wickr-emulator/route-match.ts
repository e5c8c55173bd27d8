/** Which operation a request is, by its method and path, as the service routes restJson1 requests. */
import type { OperationName } from '../../../lib/wickr/request-schemas.js';
import { type OperationRoute, routes } from '../../../lib/wickr/routes.js';

/** The operation a request names, its route and its URI labels. */
export interface RouteMatch {
  readonly operation: OperationName;
  readonly route: OperationRoute;
  readonly labels: Record<string, string>;
}

const compiled = (Object.entries(routes) as [OperationName, OperationRoute][])
  .map(([operation, route]) => {
    const names: string[] = [];
    const pattern = route.uri.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { operation, route, names, regex: new RegExp(`^${pattern}$`) };
  })
  // A literal segment wins over a label, as the service routes: `/bots/count` is GetBotsCount, not GetBot of "count".
  .sort((a, b) => a.names.length - b.names.length);

/** The operation of `method` and `path`, or undefined when the API has none there. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const labels: Record<string, string> = {};
    c.names.forEach((name, i) => {
      labels[name] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { operation: c.operation, route: c.route, labels };
  }
  return undefined;
}
