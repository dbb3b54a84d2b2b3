import { DomainError } from '@/server/errors';

/**
 * A file that is not the CSV we take, with the line where that shows (null: the file as a whole, e.g. its
 * size). Nothing of such a file is written.
 */
export class CsvFormatError extends DomainError {
  constructor(
    readonly line: number | null,
    problem: string,
  ) {
    super(line === null ? problem : `line ${line}: ${problem}`);
  }
}

export interface CsvRecord {
  /** The physical line the record starts on (1-based; a quoted field may span lines). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records from text pushed in pieces, so a file is parsed as it streams and never held whole: quoted
 * fields with doubled quotes, commas and line breaks; CRLF, LF or CR line ends; blank lines skipped. Our own
 * (a state machine of a page) rather than a library, because what matters here is the line of every record and
 * of every error, and a hard cap on a record so 50 MB without a line break cannot grow one field without bound.
 */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false; // inside a quoted field
  private afterQuote = false; // a quoted field's closing quote was seen (or the first of a doubled one)
  private pendingCr = false; // a CR was the last character: a following LF belongs to the same line end
  private physLine = 1;
  private recordLine = 1;
  private recordChars = 0;
  private fieldStarted = false; // the current record has any character (blank lines are skipped)

  constructor(private readonly maxRecordChars = 10_000) {}

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF) {
          if (this.quoted) this.field += '\n';
          continue;
        }
      }
      if (c === 0) throw new CsvFormatError(this.physLine, 'the file contains a NUL byte: it is a binary file, not a CSV');
      if (++this.recordChars > this.maxRecordChars) {
        throw new CsvFormatError(
          this.recordLine,
          `a record longer than ${this.maxRecordChars.toLocaleString('en')} characters: this is not a subscriber CSV (or a quote is never closed)`,
        );
      }
      if (this.quoted) {
        if (c === QUOTE) {
          this.quoted = false;
          this.afterQuote = true;
        } else {
          if (c === LF || c === CR) this.lineBreak(c);
          this.field += text[i];
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === QUOTE) {
          // A doubled quote inside a quoted field: one quote, and the field goes on.
          this.field += '"';
          this.quoted = true;
          continue;
        }
        if (c !== COMMA && c !== LF && c !== CR) {
          throw new CsvFormatError(this.physLine, 'a closing quote must be followed by a comma or the end of the line');
        }
      }
      if (c === COMMA) {
        this.fields.push(this.field);
        this.field = '';
        this.fieldStarted = true;
      } else if (c === LF || c === CR) {
        const record = this.endRecord();
        if (record) out.push(record);
        this.lineBreak(c);
        this.recordLine = this.physLine;
        this.recordChars = 0;
      } else if (c === QUOTE) {
        if (this.field !== '') {
          throw new CsvFormatError(this.physLine, 'a quote inside an unquoted field: quote the whole field and double the quote ("")');
        }
        this.quoted = true;
        this.fieldStarted = true;
      } else {
        this.field += text[i];
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** The last record when the text does not end with a line break; throws on a quote left open. */
  end(): CsvRecord[] {
    if (this.quoted) throw new CsvFormatError(this.recordLine, 'a quoted field that starts here is never closed');
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private lineBreak(c: number) {
    this.physLine++;
    if (c === CR) this.pendingCr = true;
  }

  private endRecord(): CsvRecord | null {
    this.afterQuote = false;
    if (!this.fieldStarted && this.fields.length === 0 && this.field === '') return null;
    this.fields.push(this.field);
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
    return record;
  }
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP): a reseller could
// name a subscriber `=HYPERLINK(…)` and have it run on the admin's machine when the export is opened.
// Apostrophes before such a character are the text mark below, so they are escaped with it too.
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * A text field as the export writes it: one that a spreadsheet would run as a formula gets a leading apostrophe,
 * which spreadsheets take as "this is text" and do not show. `fromSpreadsheetText` takes it off on import, so an
 * exported file imports back as it was (`+37120000000` stays a username, not a number or a formula).
 */
export function spreadsheetText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The import's side of `spreadsheetText`: one apostrophe before a formula character is taken off. */
export function fromSpreadsheetText(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}
