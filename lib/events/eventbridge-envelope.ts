import * as z from 'zod/mini';

/** The envelope EventBridge delivers to a Lambda target, with a typed `detail` and one of its detail types. */
export function eventBridgeEnvelope<const T extends string, D extends z.ZodMiniType>(
  detailType: T | readonly [T, ...T[]],
  detail: D,
) {
  const types = (Array.isArray(detailType) ? detailType : [detailType]) as [T, ...T[]];
  return z.object({
    version: z.string(),
    id: z.string(),
    'detail-type': z.enum(types, `must be ${types.map((t) => `"${t}"`).join(' or ')}`),
    source: z.string().check(z.minLength(1)),
    account: z.string(),
    time: z.iso.datetime({ message: 'must be an ISO 8601 date-time' }),
    region: z.string(),
    resources: z._default(z.array(z.string()), () => []),
    detail,
  });
}
