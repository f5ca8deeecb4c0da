/**
 * CSV (RFC 4180): comma-separated by default, optional header row, quoted fields
 * with "" escapes and embedded delimiters or newlines, LF or CRLF line endings,
 * a leading UTF-8 BOM ignored. Text in, columns out; no file system (see
 * ./read.ts for files and .gz files).
 *
 * The result is column-oriented: time-series and tabular loaders ask for a few
 * named numeric columns as a tensor and keep a date column as raw strings.
 */
import { Tensor } from '../tensor/tensor.js';
import { FormatError } from './errors.js';
import { firstInvalidUtf8 } from './safetensors/header.js';

export interface CsvOptions {
  /** The first record names the columns (default true). */
  header?: boolean;
  /** Column names when there is no header row (default '0', '1', …). */
  columns?: readonly string[];
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /**
   * Text encoding of a file's bytes (default 'utf-8', strict: an invalid byte is an
   * error). 'latin1' reads every byte as one character (windows-1252), as some
   * older data sets need (e.g. the Jena weather file's 'µmol/m²').
   */
  encoding?: 'utf-8' | 'latin1';
}

export interface NumericOptions {
  /**
   * What an empty field or NA/NaN/nan/null means: 'error' (default) throws naming the
   * line and column; 'nan' reads it as NaN.
   */
  missing?: 'error' | 'nan';
}

const INFINITY = /^[ \t]*([+-]?)(?:inf|infinity)[ \t]*$/i;
const MISSING = /^[ \t]*(?:|na|nan|null)[ \t]*$/i;

interface ParsedColumn {
  values: Float64Array;
  /** First row that is not a number (−1: none). */
  firstInvalid: number;
  /** First row with a missing-value marker (−1: none). */
  firstMissing: number;
}

/** A parsed CSV file: named columns of raw strings, with numeric views on demand. */
export class CsvTable {
  /** File or buffer name, for error messages. */
  readonly name: string;
  readonly columns: readonly string[];
  /** Number of data rows (the header excluded). */
  readonly rowCount: number;
  private readonly cells: string[][];
  /** 1-based line where each data row starts (rows may span lines inside quotes). */
  private readonly lines: Int32Array;
  private readonly parsedColumns = new Map<number, ParsedColumn>();

  /** @internal use parseCsv / readCsv */
  constructor(name: string, columns: readonly string[], cells: string[][], lines: Int32Array) {
    this.name = name;
    this.columns = columns;
    this.cells = cells;
    this.lines = lines;
    this.rowCount = lines.length;
  }

  private indexOf(column: string | number): number {
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 0 || column >= this.columns.length) {
        throw new RangeError(`${this.name}: column index ${column} is out of range (${this.columns.length} columns)`);
      }
      return column;
    }
    const i = this.columns.indexOf(column);
    if (i < 0) throw new Error(`${this.name}: no column '${column}' (columns: ${this.columns.join(', ')})`);
    return i;
  }

  /** The raw strings of a column (e.g. a date column), by name or index. */
  strings(column: string | number): string[] {
    return this.cells[this.indexOf(column)].slice();
  }

  /** One data row's raw strings. */
  row(i: number): string[] {
    if (!Number.isInteger(i) || i < 0 || i >= this.rowCount) throw new RangeError(`${this.name}: row ${i} is out of range (${this.rowCount} rows)`);
    return this.cells.map((c) => c[i]);
  }

  /** A column's values as numbers; a field that is not a number throws naming its line and column. */
  numbers(column: string | number, opts: NumericOptions = {}): Float64Array {
    const c = this.indexOf(column);
    const p = this.parsed(c);
    const bad = p.firstInvalid >= 0 ? p.firstInvalid : opts.missing === 'nan' ? -1 : p.firstMissing;
    if (bad >= 0) {
      const raw = this.cells[c][bad];
      const what = bad === p.firstInvalid ? `'${raw}' is not a number` : `missing value '${raw}' (pass { missing: 'nan' } to read it as NaN)`;
      throw new FormatError(this.name, what, { line: this.lines[bad], column: this.columns[c] });
    }
    return p.values.slice();
  }

  /** Names of the columns whose every field is a number (missing values allowed with missing: 'nan'). */
  numericColumns(opts: NumericOptions = {}): string[] {
    return this.columns.filter((_, c) => {
      const p = this.parsed(c);
      return p.firstInvalid < 0 && (p.firstMissing < 0 || opts.missing === 'nan');
    });
  }

  /** Each column is parsed once; later calls reuse the numbers. */
  private parsed(c: number): ParsedColumn {
    let p = this.parsedColumns.get(c);
    if (!p) {
      const raw = this.cells[c];
      const values = new Float64Array(raw.length);
      let firstInvalid = -1;
      let firstMissing = -1;
      for (let r = 0; r < raw.length; r++) {
        const v = parseNumber(raw[r]);
        if (v === undefined) {
          if (firstInvalid < 0) firstInvalid = r;
          values[r] = NaN;
        } else {
          if (Number.isNaN(v) && firstMissing < 0) firstMissing = r;
          values[r] = v;
        }
      }
      p = { values, firstInvalid, firstMissing };
      this.parsedColumns.set(c, p);
    }
    return p;
  }

  /**
   * Columns as one tensor of shape [rowCount, columns.length] (float32 by default).
   * @example const x = table.tensor(table.numericColumns()); // ETT: [17420, 7]
   */
  tensor(columns: readonly (string | number)[] = this.columns, opts: NumericOptions & { dtype?: 'float32' | 'float64' } = {}): Tensor {
    const n = this.rowCount;
    const k = columns.length;
    const dtype = opts.dtype ?? 'float32';
    const data = dtype === 'float32' ? new Float32Array(n * k) : new Float64Array(n * k);
    columns.forEach((col, j) => {
      const values = this.numbers(col, opts);
      for (let r = 0; r < n; r++) data[r * k + j] = values[r];
    });
    return new Tensor(data, [n, k], dtype);
  }
}

/** A number, NaN for a missing marker, or undefined for anything else. */
function parseNumber(s: string): number | undefined {
  if (isDecimal(s)) return Number(s);
  if (MISSING.test(s)) return NaN;
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * A decimal number with optional sign, fraction, exponent and surrounding spaces/tabs.
 * Number() alone is too lenient ('' → 0, '0x1f' → 31), so only the characters of a
 * decimal are allowed, with at least one digit, and Number() must then succeed.
 */
function isDecimal(s: string): boolean {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    // + - . e E space tab
    else if (c !== 43 && c !== 45 && c !== 46 && c !== 101 && c !== 69 && c !== 32 && c !== 9) return false;
  }
  return digits > 0 && !Number.isNaN(Number(s));
}

/** Decode CSV bytes; invalid UTF-8 is an error giving the line and byte offset of the first bad byte. */
export function decodeCsvBytes(bytes: Uint8Array, name: string, encoding: 'utf-8' | 'latin1' = 'utf-8'): string {
  if (encoding === 'latin1') return new TextDecoder('latin1').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The decoder does not say where; find the byte for the message.
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    const line = 1 + bytes.subarray(0, bad).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    throw new FormatError(name, `is not valid UTF-8 text (byte 0x${bytes[bad].toString(16)}; if the file is Latin-1, pass { encoding: 'latin1' })`, { line, byte: bad });
  }
}

/**
 * Parse CSV text. Blank lines are skipped; every other record must have as many
 * fields as the first, else a FormatError names the line.
 */
export function parseCsv(text: string, name = '<buffer>', opts: CsvOptions = {}): CsvTable {
  const delim = opts.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new Error(`parseCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delim)}`);
  }
  const scan = new RecordScanner(text, name, delim.charCodeAt(0));
  const hasHeader = opts.header ?? true;
  const fields: string[] = [];

  const first = scan.next(fields);
  if (hasHeader && first < 0) throw new FormatError(name, 'is empty: no header row');
  const width = first >= 0 ? fields.length : (opts.columns?.length ?? 0);
  if (!hasHeader && opts.columns && first >= 0 && opts.columns.length !== width) {
    throw new FormatError(name, `has ${width} fields per row but ${opts.columns.length} column names were given`, { line: first });
  }
  const columns = hasHeader ? fields.slice() : (opts.columns?.slice() ?? Array.from({ length: width }, (_, c) => String(c)));
  const dup = columns.find((c, k) => columns.indexOf(c) !== k);
  if (dup !== undefined) throw new FormatError(name, `column name '${dup}' appears twice in the header`, { line: first });

  const cells: string[][] = columns.map(() => []);
  const lines: number[] = [];
  // Without a header the first record is already data.
  for (let line = hasHeader ? scan.next(fields) : first; line >= 0; line = scan.next(fields)) {
    if (fields.length !== width) {
      throw new FormatError(name, `row has ${fields.length} fields, expected ${width}${hasHeader ? ' (as in the header)' : ' (as in the first row)'}`, { line });
    }
    for (let c = 0; c < width; c++) cells[c].push(fields[c]);
    lines.push(line);
  }
  return new CsvTable(name, columns, cells, Int32Array.from(lines));
}

/** Reads one record at a time from CSV text, tracking line numbers. */
class RecordScanner {
  private i: number;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly name: string,
    private readonly delim: number,
  ) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Fill `fields` with the next non-blank record; returns the line it starts on, or −1 at the end. */
  next(fields: string[]): number {
    const { text, delim } = this;
    const n = text.length;
    while (this.i < n) {
      fields.length = 0;
      const recordLine = this.line;
      let i = this.i;
      for (;;) {
        if (text.charCodeAt(i) === 0x22) {
          i = this.quoted(i, fields);
        } else {
          const start = i;
          for (let c = text.charCodeAt(i); i < n && c !== delim && c !== 0x0a && !(c === 0x0d && text.charCodeAt(i + 1) === 0x0a); c = text.charCodeAt(++i));
          fields.push(text.slice(start, i));
        }
        if (i < n && text.charCodeAt(i) === delim) {
          i++;
          continue;
        }
        // End of record: CRLF, LF or end of text.
        if (text.charCodeAt(i) === 0x0d) i++;
        if (i < n) {
          i++;
          this.line++;
        }
        break;
      }
      this.i = i;
      if (fields.length === 1 && fields[0] === '') continue; // blank line
      return recordLine;
    }
    return -1;
  }

  /** Read the quoted field opening at `i` into `fields`; returns the index after it. */
  private quoted(i: number, fields: string[]): number {
    const { text, delim } = this;
    const n = text.length;
    const quoteLine = this.line;
    let value = '';
    let start = ++i;
    for (;;) {
      if (i >= n) throw new FormatError(this.name, 'quoted field is never closed', { line: quoteLine });
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        if (text.charCodeAt(i + 1) === 0x22) {
          value += text.slice(start, i + 1);
          i += 2;
          start = i;
          continue;
        }
        value += text.slice(start, i);
        i++;
        break;
      }
      if (c === 0x0a) this.line++;
      i++;
    }
    fields.push(value);
    const c = text.charCodeAt(i);
    if (i < n && c !== delim && c !== 0x0a && !(c === 0x0d && text.charCodeAt(i + 1) === 0x0a)) {
      throw new FormatError(this.name, `unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`, { line: this.line });
    }
    return i;
  }
}
