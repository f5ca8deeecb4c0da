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
}

export interface NumericOptions {
  /**
   * What an empty field or NA/NaN/nan/null means: 'error' (default) throws naming the
   * line and column; 'nan' reads it as NaN.
   */
  missing?: 'error' | 'nan';
}

const NUMBER = /^[ \t]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
const INFINITY = /^[ \t]*([+-]?)(?:inf|infinity)[ \t]*$/i;
const MISSING = /^[ \t]*(?:|na|nan|null)[ \t]*$/i;

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
    const raw = this.cells[c];
    const out = new Float64Array(raw.length);
    for (let r = 0; r < raw.length; r++) {
      const v = parseNumber(raw[r]);
      if (v === undefined || (Number.isNaN(v) && opts.missing !== 'nan')) {
        const what = v === undefined ? `'${raw[r]}' is not a number` : `missing value '${raw[r]}' (pass { missing: 'nan' } to read it as NaN)`;
        throw new FormatError(this.name, what, { line: this.lines[r], column: this.columns[c] });
      }
      out[r] = v;
    }
    return out;
  }

  /** Names of the columns whose every field is a number (missing values allowed with missing: 'nan'). */
  numericColumns(opts: NumericOptions = {}): string[] {
    return this.columns.filter((_, c) =>
      this.cells[c].every((s) => {
        const v = parseNumber(s);
        return v !== undefined && (!Number.isNaN(v) || opts.missing === 'nan');
      }),
    );
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
  if (NUMBER.test(s)) return Number(s);
  if (MISSING.test(s)) return NaN;
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/** Decode CSV bytes as UTF-8 (errors give the byte offset of the first invalid byte). */
export function decodeCsvBytes(bytes: Uint8Array, name: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) throw new FormatError(name, 'is not valid UTF-8 text', { byte: bad });
  return new TextDecoder('utf-8').decode(bytes);
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
  const D = delim.charCodeAt(0);
  const records: { fields: string[]; line: number }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    // One record: fields until an unquoted newline or the end of the text.
    for (;;) {
      if (text.charCodeAt(i) === 0x22) {
        const quoteLine = line;
        let value = '';
        let start = ++i;
        for (;;) {
          if (i >= n) throw new FormatError(name, 'quoted field is never closed', { line: quoteLine });
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
          if (c === 0x0a) line++;
          i++;
        }
        fields.push(value);
        const c = text.charCodeAt(i);
        if (i < n && c !== D && c !== 0x0a && !(c === 0x0d && text.charCodeAt(i + 1) === 0x0a)) {
          throw new FormatError(name, `unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`, { line });
        }
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === D || c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) === 0x0a)) break;
          i++;
        }
        fields.push(text.slice(start, i));
      }
      if (i < n && text.charCodeAt(i) === D) {
        i++;
        continue;
      }
      // End of record: CRLF, LF or end of text.
      if (text.charCodeAt(i) === 0x0d) i++;
      if (i < n) {
        i++;
        line++;
      }
      break;
    }
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    records.push({ fields, line: recordLine });
  }

  const hasHeader = opts.header ?? true;
  if (hasHeader && records.length === 0) throw new FormatError(name, 'is empty: no header row');
  const width = records.length ? records[0].fields.length : (opts.columns?.length ?? 0);
  const columns = hasHeader ? records[0].fields : (opts.columns ?? Array.from({ length: width }, (_, c) => String(c)));
  if (!hasHeader && opts.columns && opts.columns.length !== width) {
    throw new FormatError(name, `has ${width} fields per row but ${opts.columns.length} column names were given`, { line: records[0]?.line ?? 1 });
  }
  const dup = columns.find((c, k) => columns.indexOf(c) !== k);
  if (dup !== undefined) throw new FormatError(name, `column name '${dup}' appears twice in the header`, { line: records[0].line });

  const body = hasHeader ? records.slice(1) : records;
  const cells: string[][] = columns.map(() => new Array<string>(body.length));
  const lines = new Int32Array(body.length);
  body.forEach((rec, r) => {
    if (rec.fields.length !== width) {
      throw new FormatError(name, `row has ${rec.fields.length} fields, expected ${width}${hasHeader ? ' (as in the header)' : ' (as in the first row)'}`, { line: rec.line });
    }
    for (let c = 0; c < width; c++) cells[c][r] = rec.fields[c];
    lines[r] = rec.line;
  });
  return new CsvTable(name, columns, cells, lines);
}
