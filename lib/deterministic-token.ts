import { createHash } from 'node:crypto';

/**
 * A token derived from business ids, the same on every retry of the same step: UUID-shaped (a valid Wickr
 * `clientToken`), from SHA-256 over the parts with a namespace, so it reveals none of them.
 */
export function deterministicToken(...parts: readonly string[]): string {
  const hex = createHash('sha256')
    .update(JSON.stringify(['wickr-autopilot', ...parts]))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
