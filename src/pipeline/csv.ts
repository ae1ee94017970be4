import { MreError } from '../errors.js';

/** One parsed CSV record and the 1-based line of the file it starts on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Characters that force a field to be quoted (RFC 4180 section 2.6). */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** The byte-order mark some spreadsheet programs put at the start of a CSV file. */
const BYTE_ORDER_MARK = '\uFEFF';

/** Quotes a field when it holds a comma, quote, line break or edge whitespace. */
export function formatCsvField(value: string): string {
  if (!NEEDS_QUOTES.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** One CSV line, ending in '\n', from already-stringified fields. */
export function formatCsvLine(fields: readonly string[]): string {
  return `${fields.map(formatCsvField).join(',')}\n`;
}

/** Mutable state of the CSV scanner. */
interface CsvScan {
  text: string;
  pos: number;
  line: number;
}

/** Reads one quoted field starting at the opening quote; returns its unescaped value. */
function readQuotedField(scan: CsvScan, file: string | undefined): string {
  const startLine = scan.line;
  let value = '';
  scan.pos += 1;
  for (;;) {
    const close = scan.text.indexOf('"', scan.pos);
    if (close < 0) {
      throw new MreError('DATA', `${file ?? 'CSV'} line ${startLine}: unterminated quoted field`, {
        file,
      });
    }
    const chunk = scan.text.slice(scan.pos, close);
    scan.line += chunk.split('\n').length - 1;
    value += chunk;
    if (scan.text[close + 1] === '"') {
      value += '"';
      scan.pos = close + 2;
      continue;
    }
    scan.pos = close + 1;
    return value;
  }
}

/** Reads an unquoted field up to the next comma or line break. */
function readPlainField(scan: CsvScan): string {
  const separator = /[,\r\n]/g;
  separator.lastIndex = scan.pos;
  const match = separator.exec(scan.text);
  const end = match ? match.index : scan.text.length;
  const value = scan.text.slice(scan.pos, end);
  scan.pos = end;
  return value;
}

/** Consumes the separator after a field; returns true when the record ended. */
function consumeSeparator(scan: CsvScan, file: string | undefined): boolean {
  const ch = scan.text[scan.pos];
  if (ch === undefined) return true;
  if (ch === ',') {
    scan.pos += 1;
    return false;
  }
  if (ch === '\r' || ch === '\n') {
    scan.pos += ch === '\r' && scan.text[scan.pos + 1] === '\n' ? 2 : 1;
    scan.line += 1;
    return true;
  }
  throw new MreError(
    'DATA',
    `${file ?? 'CSV'} line ${scan.line}: unexpected character after a quoted field`,
    { file },
  );
}

/** Reads one record starting at the scanner position. */
function readRecord(scan: CsvScan, file: string | undefined): CsvRecord {
  const record: CsvRecord = { fields: [], line: scan.line };
  for (;;) {
    const quoted = scan.text[scan.pos] === '"';
    record.fields.push(quoted ? readQuotedField(scan, file) : readPlainField(scan));
    if (consumeSeparator(scan, file)) return record;
  }
}

/**
 * Parses CSV text (RFC 4180: quoted fields with doubled quotes, CRLF or LF line ends, a
 * leading byte-order mark, an optional final line break). Blank lines are skipped.
 * Throws MreError 'DATA' naming `file` and the line on malformed quoting.
 */
export function parseCsv(text: string, file?: string): CsvRecord[] {
  const scan: CsvScan = { text, pos: text.startsWith(BYTE_ORDER_MARK) ? 1 : 0, line: 1 };
  const records: CsvRecord[] = [];
  while (scan.pos < text.length) {
    const record = readRecord(scan, file);
    const blank = record.fields.length === 1 && record.fields[0] === '';
    if (!blank) records.push(record);
  }
  return records;
}
