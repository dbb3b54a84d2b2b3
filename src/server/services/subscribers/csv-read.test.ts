import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, CsvParser, csvLine, fromSpreadsheetText, spreadsheetText } from './csv-parse';
import { readSubscriberCsv, type SubscriberCsvRow } from './csv-read';

const HEADER = 'username,password,plan,nas,static_ip,enabled\r\n';

/** The bytes in chunks of `size` (1: every byte its own chunk, so every state crosses a chunk boundary). */
async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(input: string | Uint8Array, opts: { size?: number; maxBytes?: number } = {}): Promise<SubscriberCsvRow[]> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const out: SubscriberCsvRow[] = [];
  for await (const rows of readSubscriberCsv(chunks(bytes, opts.size ?? 64 * 1024), { maxBytes: opts.maxBytes })) out.push(...rows);
  return out;
}

async function refusal(input: string | Uint8Array, opts: { size?: number; maxBytes?: number } = {}): Promise<CsvFormatError> {
  const e = await read(input, opts).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CsvFormatError);
  return e as CsvFormatError;
}

describe('RFC 4180 parsing', () => {
  const file =
    HEADER +
    'alice,"pa,ss",Gold,core,,true\r\n' +
    '"bob","say ""hi""",Gold,10.0.0.1,10.9.0.2,no\n' +
    '\n' +
    'carol,"two\r\nlines",Gold,core,, 1 \r\n' +
    'dave, spaced ,Gold,core,,0';

  it.each([1, 3, 64 * 1024])(
    'reads quoted commas, doubled quotes, line breaks in quotes, CRLF and LF, blank lines (chunks of %i bytes)',
    async (size) => {
      const rows = await read(file, { size });
      expect(rows).toEqual([
        { line: 2, username: 'alice', password: 'pa,ss', plan: 'Gold', nas: 'core', staticIp: '', enabled: 'true' },
        { line: 3, username: 'bob', password: 'say "hi"', plan: 'Gold', nas: '10.0.0.1', staticIp: '10.9.0.2', enabled: 'no' },
        // The record starts on line 5 (line 4 is blank); its quoted field spans lines 5-6.
        { line: 5, username: 'carol', password: 'two\r\nlines', plan: 'Gold', nas: 'core', staticIp: '', enabled: '1' },
        // A password keeps its spaces; the other fields are trimmed.
        { line: 7, username: 'dave', password: ' spaced ', plan: 'Gold', nas: 'core', staticIp: '', enabled: '0' },
      ]);
    },
  );

  it('takes the columns in any order, case-insensitive, and a UTF-8 BOM', async () => {
    const rows = await read('\uFEFFEnabled,NAS,Plan,Static_IP,Password,Username\nyes,core,Gold,,pässwörd,zoë\n');
    expect(rows).toEqual([{ line: 2, username: 'zoë', password: 'pässwörd', plan: 'Gold', nas: 'core', staticIp: '', enabled: 'yes' }]);
  });

  it('writes what it reads: csvLine quotes what needs it', async () => {
    const values = ['we,ird', 'a "q"', 'Gold', 'x\ny', ' lead', 'true'];
    const parsed = new CsvParser().push(csvLine(values));
    expect(parsed[0].fields).toEqual(values);
  });

  it('writes a field a spreadsheet would run as a formula as text, and reads it back as it was', async () => {
    const risky = ['=HYPERLINK("http://x","y")', '+37120000000', '-1+2', '@SUM(A1)', '\t=1', "'=already"];
    for (const v of risky) {
      expect(spreadsheetText(v).startsWith("'")).toBe(true);
      expect(fromSpreadsheetText(spreadsheetText(v))).toBe(v);
    }
    for (const v of ['alice', "o'brien", "'plain", '10.0.0.1', '']) {
      expect(spreadsheetText(v)).toBe(v);
      expect(fromSpreadsheetText(v)).toBe(v);
    }
    // A file as the export writes it: username and plan come back without the apostrophe; a password keeps one.
    const [row] = await read(
      HEADER + csvLine([spreadsheetText('+37120000000'), "'=secret", spreadsheetText('=Gold'), '10.0.0.1', '', 'true']),
    );
    expect(row).toMatchObject({ username: '+37120000000', password: "'=secret", plan: '=Gold' });
  });

  it('refuses a quote inside an unquoted field, text after a closing quote, a quote never closed', async () => {
    expect((await refusal(`${HEADER}al"ice,p,Gold,core,,\n`)).message).toMatch(/^line 2: a quote inside an unquoted field/);
    expect((await refusal(`${HEADER}ok,p,Gold,core,,\n"bob"x,p,Gold,core,,\n`)).message).toMatch(
      /^line 3: a closing quote must be followed/,
    );
    expect((await refusal(`${HEADER}ok,p,Gold,core,,\nbob,"open,Gold,core,,\nmore\n`)).message).toMatch(
      /^line 3: a quoted field that starts here is never closed/,
    );
  });
});

describe('files that are not our CSV: one error naming the problem and its line', () => {
  it('an empty file, a BOM alone, a header without rows', async () => {
    expect((await refusal('')).message).toMatch(
      /the file is empty: the first line must be the header username,password,plan,nas,static_ip,enabled/,
    );
    expect((await refusal('\uFEFF')).message).toMatch(/the file is empty/);
    expect((await refusal(HEADER)).message).toMatch(/header but no subscribers/);
  });

  it('wrong columns: unknown, missing, repeated, too many or too few fields in a row', async () => {
    expect((await refusal('user,password,plan,nas,static_ip,enabled\n')).message).toBe(
      'line 1: unknown column "user": the header must be username,password,plan,nas,static_ip,enabled',
    );
    expect((await refusal('username,password,plan\n')).message).toBe('line 1: the header lacks the columns nas, static_ip, enabled');
    expect((await refusal('username,password,plan,nas,static_ip,enabled,plan\n')).message).toMatch(/column "plan" appears twice/);
    expect((await refusal(`${HEADER}a,p,Gold,core,,true\nb,p,Gold,core,true\n`)).message).toBe(
      'line 3: 5 fields where the header has 6 (a comma too many or too few?)',
    );
  });

  it('bad encoding: Latin-1 bytes name the line they are on, also across chunks', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}alice,p,Gold,core,,\nbob,`),
      Buffer.from([0x70, 0xe4, 0x73, 0x73]),
      Buffer.from(',Gold,core,,\n'),
    ]);
    for (const size of [1, 5, 1 << 16]) {
      const e = await refusal(latin1, { size });
      expect(e.message).toBe('line 3: the file is not UTF-8 text: save it as "CSV UTF-8"');
    }
    // A valid multi-byte character cut by a chunk boundary is not an error.
    expect(await read(`${HEADER}zoë,pässwörd,Gold,core,,\n`, { size: 1 })).toHaveLength(1);
  });

  it('a binary file (NUL bytes), 50 MB of random bytes, 50 MB of text without a line break', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect((await refusal(png)).message).toMatch(/not UTF-8/);
    expect((await refusal(`${HEADER}a,p,G,c,,\n\u0000\u0001\u0002`)).message).toBe(
      'line 3: the file contains a NUL byte: it is a binary file, not a CSV',
    );
    const t = performance.now();
    expect((await refusal(randomBytes(50 * 1024 * 1024), { size: 64 * 1024 })).message).toMatch(/^line \d+: the file is not UTF-8 text/);
    const text = new Uint8Array(50 * 1024 * 1024).fill(0x41);
    expect((await refusal(text, { size: 64 * 1024 })).message).toMatch(/^line 1: a record longer than 10,000 characters/);
    // Refused from the first chunks, not after reading the 50 MB.
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('refuses a file over the size cap, saying the cap', async () => {
    const rows = `${HEADER}${'alice,password,Gold,core,,true\n'.repeat(2000)}`;
    const e = await refusal(rows, { maxBytes: 32 * 1024, size: 4096 });
    expect(e.line).toBeNull();
    expect(e.message).toBe('the file is larger than 32 KB, the most one import takes: split it into several files');
  });
});
