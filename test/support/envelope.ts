import { randomUUID } from 'node:crypto';

/** An event as EventBridge delivers it to a target, for driving use cases and handlers directly. */
export function envelope<T extends string, D>(
  detailType: T,
  source: string,
  detail: D,
  time = new Date().toISOString(),
) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source,
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: [] as string[],
    detail,
  };
}
