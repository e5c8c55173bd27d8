/**
 * A schema built on first use: it stands in for the schema everywhere (parsing, composing into other schemas,
 * types), but a cold start that never parses with it never pays for building it. Zod builds eagerly and its
 * construction was most of what functions spend at init beyond the SDK.
 */
export function lazySchema<S extends object>(build: () => S): S {
  let built: S | undefined;
  const real = (): S => {
    built ??= build();
    return built;
  };
  return new Proxy({} as S, {
    get: (_target, key) => Reflect.get(real(), key),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    // The stand-in's own target is empty: every property it reports must be configurable to respect the invariants.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
