/** The emulator's paging, as the API pages: sorted by `sortFields`, `maxResults` a page, an opaque `nextToken`. */
import { EmulatorError, type EmulatorState } from './emulator-state.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs arrive validated by the operation's request schema.
export type Input = any;
/** An emulated operation: what it does to the state, and its answer. */
export type Handler = (state: EmulatorState, input: Input) => unknown;

export interface PageInput {
  nextToken?: string;
  maxResults?: number;
  sortFields?: string;
  sortDirection?: 'ASC' | 'DESC';
}

// Opaque to callers; the same shape as the documentation's example token ({"offset":10}).
function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw new EmulatorError(422, 'ValidationError', 'Invalid nextToken', [
    { field: 'nextToken', reason: 'is not a token this API issued' },
  ]);
}

/** One page of `items`, sorted by the request's fields (or `defaultSort`), with the next page's token. */
export function page<T extends object>(
  items: T[],
  input: PageInput,
  defaultSort: string,
): { items: T[]; nextToken?: string } {
  const fields = (input.sortFields ?? defaultSort).split('+') as (keyof T)[];
  const direction = (input.sortDirection ?? 'DESC') === 'ASC' ? 1 : -1;
  const sorted = [...items].sort((a, b) => {
    for (const f of fields) {
      const x = a[f] as unknown;
      const y = b[f] as unknown;
      if (x === y) continue;
      if (x === undefined) return -direction;
      if (y === undefined) return direction;
      return (String(x) < String(y) ? -1 : 1) * direction;
    }
    return 0;
  });
  const offset = input.nextToken === undefined ? 0 : decodeToken(input.nextToken);
  const size = input.maxResults ?? 10;
  const slice = sorted.slice(offset, offset + size);
  const next = offset + size;
  return next < sorted.length
    ? { items: slice, nextToken: Buffer.from(JSON.stringify({ offset: next })).toString('base64') }
    : { items: slice };
}
