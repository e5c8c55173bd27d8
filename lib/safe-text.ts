/**
 * Text from events made harmless before it is shown or stored: one canonical form (NFKC, so fullwidth and other
 * compatibility look-alikes become their plain letters; lone surrogates become U+FFFD), no invisible formatting (`\p{Cf}`: bidi overrides,
 * zero-width characters), no control or line/paragraph separators, and URLs or bare host names broken so no
 * reader can follow them.
 */

const invisible = /\p{Cf}/gu;
const breaks = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;
// A dot between a letter or digit and a letter is how host names are made (`evil.example`, `wickr.com`).
const hostDot = /(?<=[\p{L}\p{N}])\.(?=\p{L})/gu;
const scheme = /:\/\//g;

/** NFKC, invisible format characters removed, controls and separators turned into single spaces. */
export function normalizeText(text: string): string {
  return text.toWellFormed().normalize('NFKC').replace(invisible, '').replace(breaks, ' ');
}

/** Breaks URLs and host names (`https[:]//evil[.]example`), the way security teams share indicators. */
export function defang(text: string): string {
  return text.replace(scheme, '[:]//').replace(hostDot, '[.]');
}

/** Whether a text has characters NFKC would change or invisible format characters. */
export function isCanonical(text: string): boolean {
  return text === text.normalize('NFKC') && !/\p{Cf}/u.test(text);
}

/** At most `max` UTF-16 units, cut between code points (never inside a surrogate pair), with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const codePoint of text) {
    if (out.length + codePoint.length > max - 1) break;
    out += codePoint;
  }
  return `${out}…`;
}

const latin = /\p{Script=Latin}/u;
const confusable = [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Armenian}/u];

/**
 * Whether a name mixes Latin with Cyrillic, Greek or Armenian letters, or those with each other — the scripts whose
 * look-alikes make a "finance" that is not finance (a Cyrillic `і` is enough).
 */
export function mixesScripts(text: string): boolean {
  const scripts = [latin, ...confusable].filter((script) => script.test(text));
  return scripts.length > 1;
}
