import * as z from 'zod/mini';

/** The envelope EventBridge delivers to a Lambda target, with a typed `detail`. */
export function eventBridgeEnvelope<const T extends string, D extends z.ZodMiniType>(detailType: T, detail: D) {
  return z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.literal(detailType, `must be "${detailType}"`),
    source: z.string().check(z.minLength(1)),
    account: z.string(),
    time: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }),
    region: z.string(),
    resources: z._default(z.array(z.string()), () => []),
    detail,
  });
}
