/**
 * A roster file, streamed record by record: CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends) or JSON
 * Lines. Nothing is held but the record being read, so a file of any length reads in bounded memory; each record
 * says where it starts and ends in bytes, so a later pass can read one range of the file again.
 */

/** One record of the file, as read: its first line, its byte range, and its fields or why it has none. */
export interface RawRecord {
  readonly line: number;
  /** Byte offsets in the file: `[start, end)`, the line break included. */
  readonly start: number;
  readonly end: number;
  readonly fields?: readonly string[] | undefined;
  /** A JSON Lines record, parsed. */
  readonly object?: Readonly<Record<string, unknown>> | undefined;
  readonly problem?: string | undefined;
}

/** Longest record read (characters): a roster row is far shorter; a runaway quote is cut here, not the file. */
export const maxRecordChars = 4096;

const utf8Bytes = (code: number) => (code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 4 : 3);

async function* text(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** CSV records from a byte stream that starts at `offset` (a record boundary) on line `firstLine`. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one character loop over shared parser state (RFC 4180's quoting, byte offsets for resumable chunks); split, the state would travel through every piece.
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  offset = 0,
  firstLine = 1,
): AsyncGenerator<RawRecord> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let chars = 0;
  let tooLong = false;
  let line = firstLine;
  let recordLine = firstLine;
  let start = offset;
  let position = offset;
  const finish = (): RawRecord => {
    fields.push(field);
    const record: RawRecord = tooLong
      ? { line: recordLine, start, end: position, problem: `longer than ${maxRecordChars} characters` }
      : { line: recordLine, start, end: position, fields };
    fields = [];
    field = '';
    quoted = false;
    afterQuote = false;
    chars = 0;
    tooLong = false;
    start = position;
    recordLine = line;
    return record;
  };
  for await (const piece of text(chunks)) {
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charAt(i);
      const code = piece.charCodeAt(i);
      // A low surrogate's bytes were counted with its high surrogate.
      position += code >= 0xdc00 && code <= 0xdfff ? 0 : utf8Bytes(code);
      if (c === '\r' && !quoted) continue; // CRLF ends a record at its LF; a CR elsewhere is dropped.
      if (c === '\n') {
        line++;
        // Inside quotes a line break belongs to the field, unless the record ran away: then the line ends it.
        if (quoted && !tooLong) {
          field += c;
          continue;
        }
        if (chars === 0 && fields.length === 0 && field === '') {
          // A blank line is no record.
          start = position;
          recordLine = line;
          continue;
        }
        yield finish();
        continue;
      }
      chars++;
      if (chars > maxRecordChars) {
        tooLong = true;
        continue;
      }
      if (tooLong) continue;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
        continue;
      }
      if (c === '"' && afterQuote) {
        // A doubled quote inside a quoted field: one quote, and the field is quoted again.
        field += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (c === '"' && field === '' && !afterQuote) quoted = true;
      else field += c;
    }
  }
  if (chars > 0 || fields.length > 0 || field !== '') yield finish();
}

/** JSON Lines records (one object per line) from a byte stream, as {@link csvRecords}. */
export async function* jsonLinesRecords(
  chunks: AsyncIterable<Uint8Array>,
  offset = 0,
  firstLine = 1,
): AsyncGenerator<RawRecord> {
  for await (const record of plainLines(chunks, offset, firstLine)) {
    if (record.problem || record.text === undefined) {
      yield record;
      continue;
    }
    let object: unknown;
    try {
      object = JSON.parse(record.text);
    } catch {
      yield { line: record.line, start: record.start, end: record.end, problem: 'is not JSON' };
      continue;
    }
    yield object !== null && typeof object === 'object' && !Array.isArray(object)
      ? { line: record.line, start: record.start, end: record.end, object: object as Record<string, unknown> }
      : { line: record.line, start: record.start, end: record.end, problem: 'must be a JSON object' };
  }
}

/** Plain lines with their byte ranges (no quoting): what JSON Lines is made of. */
async function* plainLines(
  chunks: AsyncIterable<Uint8Array>,
  offset: number,
  firstLine: number,
): AsyncGenerator<RawRecord & { text?: string }> {
  let current = '';
  let tooLong = false;
  let start = offset;
  let position = offset;
  let line = firstLine;
  for await (const piece of text(chunks)) {
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charAt(i);
      const code = piece.charCodeAt(i);
      position += code >= 0xdc00 && code <= 0xdfff ? 0 : utf8Bytes(code);
      if (c === '\n') {
        const body = current.endsWith('\r') ? current.slice(0, -1) : current;
        if (tooLong) yield { line, start, end: position, problem: `longer than ${maxRecordChars} characters` };
        else if (body.trim() !== '') yield { line, start, end: position, text: body };
        current = '';
        tooLong = false;
        start = position;
        line++;
        continue;
      }
      if (current.length >= maxRecordChars) tooLong = true;
      else current += c;
    }
  }
  if (tooLong) yield { line, start, end: position, problem: `longer than ${maxRecordChars} characters` };
  else if (current.trim() !== '') yield { line, start, end: position, text: current };
}
