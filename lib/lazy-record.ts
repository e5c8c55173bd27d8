/**
 * An object whose properties are built on first read and kept: a function that uses two of sixteen schemas
 * builds two at cold start, not sixteen.
 */
export function lazyRecord<B extends Record<string, () => unknown>>(
  builders: B,
): { readonly [K in keyof B]: ReturnType<B[K]> } {
  const record = {} as { [K in keyof B]: ReturnType<B[K]> };
  for (const key of Object.keys(builders) as (keyof B)[]) {
    Object.defineProperty(record, key, {
      enumerable: true,
      get: () => {
        const value = builders[key]?.();
        Object.defineProperty(record, key, { value, enumerable: true });
        return value;
      },
      configurable: true,
    });
  }
  return record;
}
