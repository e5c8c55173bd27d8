/** Look-alike names, as Unicode TR39 defines them. */

const ignorable = /\p{Default_Ignorable_Code_Point}/gu;
// Confusables the Unicode data maps to `i` though they look like `l` (Cyrillic palochka): the skeleton compares
// names that look alike, so they join `l` (as `I`, `1` and `|` do in the data).
const looksLikeL = /[\u04C0\u04CF]/gu;

let prototypes: Promise<ReadonlyMap<string, string>> | undefined;

// Loaded and parsed on first use: only a group's creation pays for the ~100 KB table, never a cold start.
const confusables = () => {
  prototypes ??= import('./confusables-data.js').then(
    ({ confusablesJson }) => new Map(Object.entries(JSON.parse(confusablesJson) as Record<string, string>)),
  );
  return prototypes;
};

/**
 * A name's look-alike skeleton, after Unicode TR39: default-ignorable code points removed (zero-width joiners,
 * variation selectors, the combining grapheme joiner, Hangul fillers), NFKC, lower case, each code point mapped to its
 * prototype by the Unicode confusables data (lib/confusables-data.ts). Two names with one skeleton look alike:
 * `sales`, `ѕаӏеѕ`, `ꮪales` and `sales\uFE0F` share one.
 */
export async function skeleton(text: string): Promise<string> {
  // Lower-cased first: the data maps `I` to `l`, so `MAIL` and `mail` would otherwise differ.
  const plain = text.toWellFormed().replace(ignorable, '').normalize('NFKC').toLowerCase().replace(looksLikeL, 'l');
  const table = await confusables();
  return Array.from(plain, (c) => table.get(c) ?? c)
    .join('')
    .normalize('NFKC');
}
