/**
 * One JSON text per value whatever the order its keys were built in: objects' keys sorted by code unit, arrays kept
 * in order, undefined members dropped (as JSON drops them). What is compared or hashed is the content, never the
 * construction order — a plan read back from DynamoDB, an outcome read back from the audit log.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
