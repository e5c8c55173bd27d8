/**
 * Text from events made harmless before it is shown or stored: one canonical form (NFKC, so fullwidth and other
 * compatibility look-alikes become their plain letters; lone surrogates become U+FFFD), no invisible formatting (`\p{Cf}`: bidi overrides,
 * zero-width characters), no control or line/paragraph separators, and URLs or bare host names broken so no
 * reader can follow them.
 */

// Format characters, and the other default-ignorables (Hangul fillers, variation selectors) and the Braille blank,
// which render as nothing and so hide what a text says.
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const breaks = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;
// A dot between a letter or digit and a letter is how host names are made (`evil.example`, `wickr.com`); the
// ideographic full stop (`。`, also what NFKC makes of `｡`) works as one in browsers.
const hostDot = /(?<=[\p{L}\p{N}])[.\u3002](?=\p{L})/gu;
// A bare IPv4 address is a host too.
const ipv4 = /(?<![\d.])\d{1,3}(?:[.\u3002]\d{1,3}){3}(?![\d.])/gu;
const scheme = /:\/\//g;

/** NFKC, invisible format characters removed, controls and separators turned into single spaces. */
export function normalizeText(text: string): string {
  return text.toWellFormed().normalize('NFKC').replace(invisible, '').replace(breaks, ' ');
}

/** Breaks URLs and host names (`https[:]//evil[.]example`), the way security teams share indicators. */
export function defang(text: string): string {
  return text
    .replace(scheme, '[:]//')
    .replace(ipv4, (address) => address.replace(/[.\u3002]/g, '[.]'))
    .replace(hostDot, '[.]');
}

/** Whether a text has characters NFKC would change or invisible format characters. */
export function isCanonical(text: string): boolean {
  return text === text.normalize('NFKC') && !/[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u.test(text);
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
const otherLetter = /(?!\p{Script=Latin})\p{L}/u;
const confusable = [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Armenian}/u];

/**
 * Whether a name mixes Latin letters with letters of any other script (a Cyrillic `і`, a Cherokee `ꮪ`), or
 * Cyrillic, Greek and Armenian letters with each other — the mixes that make a "finance" that is not finance.
 */
export function mixesScripts(text: string): boolean {
  if (latin.test(text) && otherLetter.test(text)) return true;
  return confusable.filter((script) => script.test(text)).length > 1;
}
