import { CsvFormatError, CsvParser, fromSpreadsheetText } from './csv-parse';

/** The columns of a subscriber CSV, import and export alike. */
export const CSV_COLUMNS = ['username', 'password', 'plan', 'nas', 'static_ip', 'enabled'] as const;
export const CSV_HEADER = CSV_COLUMNS.join(',');

/** The largest file one import takes: 100,000 subscribers are about 6 MB. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const sizeText = (bytes: number) => (bytes >= 1 << 20 ? `${Math.floor(bytes / (1 << 20))} MB` : `${Math.floor(bytes / 1024)} KB`);
export const MAX_UPLOAD_TEXT = sizeText(MAX_UPLOAD_BYTES);

export interface SubscriberCsvRow {
  line: number;
  username: string;
  /** As typed: a space is part of a password. */
  password: string;
  plan: string;
  nas: string;
  staticIp: string;
  enabled: string;
}

/**
 * A subscriber CSV's rows from a byte stream, a batch per chunk, as they arrive: UTF-8 (a BOM allowed), the
 * header naming our six columns (any order), every record as many fields as the header. The first problem
 * throws a CsvFormatError with its line; the caller's transaction then writes nothing.
 */
export async function* readSubscriberCsv(
  body: AsyncIterable<Uint8Array>,
  opts: { maxBytes?: number } = {},
): AsyncGenerator<SubscriberCsvRow[]> {
  const maxBytes = opts.maxBytes ?? MAX_UPLOAD_BYTES;
  // fatal: a byte sequence that is not UTF-8 is an error, not a U+FFFD in someone's password.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser();
  let bytes = 0;
  let linesBefore = 1; // the line the current chunk starts on, counted on the raw bytes
  let columns: number[] | null = null; // the header's position of each of CSV_COLUMNS
  let width = 0;
  let rows = 0;

  const toRows = (records: ReturnType<CsvParser['push']>): SubscriberCsvRow[] => {
    const out: SubscriberCsvRow[] = [];
    for (const r of records) {
      if (!columns) {
        columns = headerColumns(r.fields, r.line);
        width = r.fields.length;
        continue;
      }
      if (r.fields.length !== width) {
        throw new CsvFormatError(r.line, `${r.fields.length} fields where the header has ${width} (a comma too many or too few?)`);
      }
      const f = (i: number) => r.fields[columns![i]];
      out.push({
        line: r.line,
        username: fromSpreadsheetText(f(0).trim()),
        password: f(1),
        plan: fromSpreadsheetText(f(2).trim()),
        nas: f(3).trim(),
        staticIp: f(4).trim(),
        enabled: f(5).trim(),
      });
    }
    rows += out.length;
    return out;
  };

  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      throw new CsvFormatError(
        null,
        `the file is larger than ${sizeText(maxBytes)}, the most one import takes: split it into several files`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvFormatError(
        linesBefore + countLines(chunk, firstInvalidUtf8(chunk)),
        'the file is not UTF-8 text: save it as "CSV UTF-8"',
      );
    }
    linesBefore += countLines(chunk, chunk.byteLength);
    const out = toRows(parser.push(text));
    if (out.length) yield out;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new CsvFormatError(linesBefore, 'the file is not UTF-8 text (it ends inside a character): save it as "CSV UTF-8"');
  }
  const out = toRows([...parser.push(tail), ...parser.end()]);
  if (!columns) throw new CsvFormatError(null, `the file is empty: the first line must be the header ${CSV_HEADER}`);
  if (rows === 0) throw new CsvFormatError(null, 'the file has its header but no subscribers');
  if (out.length) yield out;
}

/** Where each of our columns is in the header; a missing, unknown or repeated column names itself. */
function headerColumns(fields: string[], line: number): number[] {
  const names = fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) {
    const shown = unknown.slice(0, 3).map((n) => `"${n.slice(0, 40)}"`);
    throw new CsvFormatError(line, `unknown column ${shown.join(', ')}: the header must be ${CSV_HEADER}`);
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new CsvFormatError(line, `column "${repeated}" appears twice in the header`);
  const missing = CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) throw new CsvFormatError(line, `the header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return CSV_COLUMNS.map((c) => names.indexOf(c));
}

function countLines(chunk: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (chunk[i] === 10) n++;
  return n;
}

/** The offset of the first byte that is not part of valid UTF-8 (continuations of the previous chunk skipped). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < b.length && (b[i] & 0xc0) === 0x80) i++;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return b.length; // cut by the chunk's end: the next chunk completes it
      if ((b[i + k] & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
  }
  return b.length;
}
