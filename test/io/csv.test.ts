import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, parseCsv, readCsv, type CsvTable } from '../../src/io/index.js';
import { BENCHMARK_DIR, BENCHMARKS } from '../data-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'mlpkit-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

describe('parseCsv', () => {
  it('reads named columns: numbers, raw date strings and a tensor', () => {
    const t = parseCsv('date,a,b\n2016-07-01 00:00:00,1.5,-2\n2016-07-01 01:00:00,3e2,.25\n', 'x.csv');
    expect(t.columns).toEqual(['date', 'a', 'b']);
    expect(t.rowCount).toBe(2);
    expect(t.strings('date')).toEqual(['2016-07-01 00:00:00', '2016-07-01 01:00:00']);
    expect([...t.numbers('a')]).toEqual([1.5, 300]);
    expect(t.numericColumns()).toEqual(['a', 'b']);
    const x = t.tensor(['a', 'b']);
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect([...x.data]).toEqual([1.5, -2, 300, 0.25]);
    expect(t.tensor([2], { dtype: 'float64' }).dtype).toBe('float64');
    expect(t.row(1)).toEqual(['2016-07-01 01:00:00', '3e2', '.25']);
  });

  it('handles CRLF, quotes with "" escapes, delimiters and newlines inside quotes, a BOM and blank lines', () => {
    const text = '\ufeffname,note,v\r\n"Smith, J","said ""hi""\r\nthen left",1\r\n\r\nplain,,2\r\n"",x,3';
    const t = parseCsv(text, 'q.csv');
    expect(t.columns).toEqual(['name', 'note', 'v']);
    expect(t.strings('name')).toEqual(['Smith, J', 'plain', '']);
    expect(t.strings('note')).toEqual(['said "hi"\r\nthen left', '', 'x']);
    expect([...t.numbers('v')]).toEqual([1, 2, 3]);
    // line numbers after a quoted newline stay right
    const e = errorOf(() => parseCsv('a,b\n"x\ny",1\n2\n', 'lines.csv'));
    expect(e.message).toBe('lines.csv: row has 1 fields, expected 2 (as in the header) (at line 4)');
  });

  it('reads files without a header, with given or default column names, and other delimiters', () => {
    expect(parseCsv('1;2\n3;4', 'n.csv', { header: false, delimiter: ';' }).columns).toEqual(['0', '1']);
    const t = parseCsv('1,2\n3,4\n', 'n.csv', { header: false, columns: ['x', 'y'] });
    expect([...t.numbers('y')]).toEqual([2, 4]);
    expect(() => parseCsv('1,2\n', 'n.csv', { header: false, columns: ['x'] })).toThrow(/2 fields per row but 1 column names/);
    expect(() => parseCsv('1,2', 'n.csv', { delimiter: '"' })).toThrow(/delimiter/);
  });

  it('missing values: an error naming line and column, or NaN when asked', () => {
    const t = parseCsv('a,b\n1,\n2,NA\n3,4\n', 'm.csv');
    const e = errorOf(() => t.numbers('b'));
    expect(e.message).toBe("m.csv: missing value '' (pass { missing: 'nan' } to read it as NaN) (at line 2, column 'b')");
    expect([...t.numbers('b', { missing: 'nan' })]).toEqual([NaN, NaN, 4]);
    expect(t.numericColumns()).toEqual(['a']);
    expect(t.numericColumns({ missing: 'nan' })).toEqual(['a', 'b']);
    expect([...parseCsv('a\ninf\n-Infinity\n', 'i.csv').numbers('a')]).toEqual([Infinity, -Infinity]);
  });

  it('malformed text gives errors naming the file and line', () => {
    expect(errorOf(() => parseCsv('a,b\n1,2,3\n', 'r.csv')).message).toMatch(/^r\.csv: row has 3 fields, expected 2 .*line 2/);
    expect(errorOf(() => parseCsv('a,b\n1,"open\n\n', 'u.csv')).message).toBe('u.csv: quoted field is never closed (at line 2)');
    expect(errorOf(() => parseCsv('a,b\n"x"y,2\n', 'c.csv')).message).toMatch(/unexpected "y" after a closing quote.*line 2/);
    expect(errorOf(() => parseCsv('a,b\n1,abc\n', 'n.csv').numbers('b')).message).toBe("n.csv: 'abc' is not a number (at line 2, column 'b')");
    expect(errorOf(() => parseCsv('a,a\n1,2\n', 'd.csv')).message).toMatch(/column name 'a' appears twice/);
    expect(errorOf(() => parseCsv('', 'e.csv')).message).toMatch(/e\.csv: is empty/);
    expect(() => parseCsv('a\n1\n', 'k.csv').numbers('z')).toThrow("k.csv: no column 'z' (columns: a)");
    expect(() => parseCsv('a\n1\n', 'k.csv').strings(3)).toThrow(/column index 3 is out of range/);
  });
});

describe('readCsv on files', () => {
  it('reads plain and gzip files alike (gzip detected by magic bytes, not the name)', () => {
    const text = 'date,v\r\n2020-01-01,1\r\n2020-01-02,2\r\n';
    writeFileSync(join(dir, 'plain.csv'), text);
    writeFileSync(join(dir, 'packed.csv.gz'), gzipSync(text));
    writeFileSync(join(dir, 'misnamed.csv'), gzipSync(text));
    for (const f of ['plain.csv', 'packed.csv.gz', 'misnamed.csv']) {
      const t = readCsv(join(dir, f));
      expect(t.strings('date'), f).toEqual(['2020-01-01', '2020-01-02']);
      expect([...t.numbers('v')], f).toEqual([1, 2]);
    }
  });

  it('invalid UTF-8 names the byte; latin1 reads it', () => {
    const bytes = Buffer.concat([Buffer.from('a,rh (%)\nx,'), Buffer.from([0xb5]), Buffer.from('\n')]);
    writeFileSync(join(dir, 'latin.csv'), bytes);
    const e = errorOf(() => readCsv(join(dir, 'latin.csv')));
    expect(e.message).toMatch(/latin\.csv: is not valid UTF-8 text \(byte 0xb5; .*encoding: 'latin1'.*\(at line 2, byte 11\)/);
    expect(readCsv(join(dir, 'latin.csv'), { encoding: 'latin1' }).strings('rh (%)')).toEqual(['µ']);
  });

  it('a truncated gzip file is an error naming the file', () => {
    const gz = gzipSync('a,b\n'.repeat(1000));
    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 20));
    expect(errorOf(() => readCsv(join(dir, 'cut.csv.gz'))).message).toMatch(/cut\.csv\.gz: is gzip-compressed but cannot be decompressed/);
  });
});

const ett = join(BENCHMARK_DIR, 'ett');
describe.skipIf(!BENCHMARKS.present)('readCsv on the shared benchmark files', () => {
  const expectTable = (t: CsvTable, rows: number, cols: number): void => {
    expect(t.rowCount).toBe(rows);
    expect(t.columns.length).toBe(cols);
  };

  it('ETTh1.csv: 17,420 rows of a date and 7 numbers', () => {
    const t = readCsv(join(ett, 'ETTh1.csv'));
    expectTable(t, 17420, 8);
    expect(t.strings('date')[0]).toBe('2016-07-01 00:00:00');
    expect(t.numericColumns()).toEqual(['HUFL', 'HULL', 'MUFL', 'MULL', 'LUFL', 'LULL', 'OT']);
    const x = t.tensor(t.numericColumns());
    expect(x.shape).toEqual([17420, 7]);
    expect(x.data[6]).toBe(Math.fround(30.5310001373291));
  });

  it('ETTm1.csv.gz (gzip, 69,680 rows) and the CRLF exchange-rate file', () => {
    const m1 = readCsv(join(ett, 'ETTm1.csv.gz'));
    expectTable(m1, 69680, 8);
    expect(m1.strings('date').at(-1)).toBe('2018-06-26 19:45:00');
    const ex = readCsv(join(BENCHMARK_DIR, 'lstnet', 'exchange_rate.csv'));
    expectTable(ex, 7588, 9);
    expect(ex.columns.at(-1)).toBe('OT'); // no stray '\r'
    const raw = readCsv(join(BENCHMARK_DIR, 'lstnet', 'exchange_rate.txt'), { header: false });
    expectTable(raw, 7588, 8);
    expect(raw.numbers(0)[0]).toBe(0.7855);
  });

  it('weather.csv.gz: CRLF, 52,696 rows × 22 columns (its header carries U+FFFD where the source lost ² and µ)', () => {
    const t = readCsv(join(BENCHMARK_DIR, 'weather', 'weather.csv.gz'));
    expectTable(t, 52696, 22);
    expect(t.columns).toContain('SWDR (W/m\ufffd)');
    expect(t.columns.at(-1)).toBe('OT');
    expect(t.numericColumns()).toHaveLength(21);
    expect(t.numbers('p (mbar)')[0]).toBe(1008.89);
  });
});
