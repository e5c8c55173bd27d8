/**
 * Name patterns where `*` matches any run of characters, case-insensitively — matched without regular
 * expressions, in time linear in the name for a given pattern: the literal parts between stars are found left to
 * right, first fit (which is exact for `*`-only globs). A pattern from an event can neither backtrack nor blow up.
 */

/** A compiled pattern: call it with a name. */
export type GlobMatcher = (name: string) => boolean;

/** Wildcards a pattern may hold; more would be refused by the contracts that take patterns. */
export const maxGlobWildcards = 10;

/** Compiles a pattern once; runs of `*` count as one. */
export function compileGlob(pattern: string): GlobMatcher {
  const parts = pattern.toLowerCase().split(/\*+/);
  if (parts.length === 1) {
    const literal = parts[0] ?? '';
    return (name) => name.toLowerCase() === literal;
  }
  const head = parts[0] ?? '';
  const tail = parts.at(-1) ?? '';
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  return (raw) => {
    const name = raw.toLowerCase();
    if (name.length < head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail)) return false;
    let from = head.length;
    const end = name.length - tail.length;
    for (const part of middle) {
      const found = name.indexOf(part, from);
      if (found < 0 || found + part.length > end) return false;
      from = found + part.length;
    }
    return true;
  };
}

/** How many wildcards a pattern holds once runs of `*` are collapsed. */
export function globWildcards(pattern: string): number {
  return pattern.split(/\*+/).length - 1;
}
