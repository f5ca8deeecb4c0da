import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randn, tensor } from '../../src/index.js';
import { inspectSafetensors, readCsv, loadSafetensors, loadSafetensorsFile, parseSafetensors, saveSafetensors, serializeSafetensors, writeFileAtomicSync } from '../../src/io/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlpkit-io-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips tensors and metadata through a file', () => {
    const path = join(dir, 'model.safetensors');
    const w = randn([4, 3]);
    const idx = tensor([3, -1, 7], { dtype: 'int32' });
    saveSafetensors(path, { 'fc.weight': w, idx }, { epoch: '3' }, { dtypes: { idx: 'I64' } });
    const loaded = loadSafetensorsFile(path);
    expect(loaded.metadata).toEqual({ epoch: '3' });
    expect([...loaded.tensors['fc.weight'].data]).toEqual([...w.data]);
    expect(loaded.tensors.idx.dtype).toBe('int32');
    expect([...loadSafetensors(path).idx.data]).toEqual([3, -1, 7]);
    expect(inspectSafetensors(path).entries.map((e) => [e.name, e.dtype])).toEqual([['idx', 'I64'], ['fc.weight', 'F32']]);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('a failure after the temporary file is written leaves the old file intact and no temporary file', () => {
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, { w: tensor([1, 2, 3]) });
    const before = readFileSync(path);
    let tempSeen = '';
    expect(() =>
      saveSafetensors(path, { w: randn([1000]) }, undefined, {
        hooks: {
          beforeRename: (temp) => {
            tempSeen = temp;
            // The temporary file is complete and in the target's directory…
            expect(readdirSync(dir).length).toBe(2);
            expect(readFileSync(temp).length).toBeGreaterThan(4000);
            throw new Error('simulated crash before rename');
          },
        },
      }),
    ).toThrow(/simulated crash/);
    expect(tempSeen.startsWith(join(dir, '.model.safetensors.'))).toBe(true);
    // …and after the failure the old file is byte-for-byte unchanged and the temporary is gone.
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    expect([...loadSafetensors(path).w.data]).toEqual([1, 2, 3]);
  });

  it('a serialisation error touches nothing on disk', () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'previous contents');
    expect(() => saveSafetensors(path, { x: tensor([0.5]) }, undefined, { dtypes: { x: 'I32' } })).toThrow(/not an integer/);
    expect(readFileSync(path, 'utf8')).toBe('previous contents');
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('a failing rename (the target is a non-empty directory) cleans up the temporary file', () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inner'), { recursive: true });
    expect(() => writeFileAtomicSync(target, Uint8Array.of(1))).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('a missing file or directory is reported by path', () => {
    expect(() => loadSafetensors(join(dir, 'absent.safetensors'))).toThrow(/absent\.safetensors/);
    expect(() => saveSafetensors(join(dir, 'no', 'such', 'dir.safetensors'), { x: tensor([1]) })).toThrow(/no[/\\]such/);
  });

  it('reading a folder or a missing file is an error naming the path in words', () => {
    expect(() => loadSafetensors(dir)).toThrow(`'${dir}' is a folder, not a file`);
    expect(() => readCsv(dir)).toThrow(`'${dir}' is a folder, not a file`);
    expect(() => readCsv(join(dir, 'none.csv'))).toThrow(`'${join(dir, 'none.csv')}' does not exist`);
  });

  it('a file that cannot be written is named as the user gave it, never by its hidden temporary file', () => {
    const target = join(dir, 'no', 'such', 'out.safetensors');
    let message = '';
    try {
      writeFileAtomicSync(target, Uint8Array.of(1));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`cannot write '${target}': its folder does not exist (ENOENT)`);
    expect(message).not.toMatch(/\.tmp/);
  });
});

describe('loadSafetensors reads by offset and reports malformed files like parseSafetensors', () => {
  it('truncated files on disk give the same errors as the same bytes in memory', () => {
    const bytes = serializeSafetensors({ a: randn([3, 5]), b: tensor([1, 2], { dtype: 'int32' }) }, { metadata: { m: 'x' } });
    const path = join(dir, 'cut.safetensors');
    for (const n of [0, 3, 8, 9, 40, bytes.length - 20, bytes.length - 1]) {
      writeFileSync(path, bytes.subarray(0, n));
      let inMemory = '';
      try {
        parseSafetensors(bytes.subarray(0, n), path);
      } catch (e) {
        inMemory = (e as Error).message;
      }
      expect(inMemory, `prefix ${n}`).toMatch(/^.*cut\.safetensors: /);
      expect(() => loadSafetensors(path), `prefix ${n}`).toThrow(inMemory);
    }
    writeFileSync(path, bytes);
    expect(Object.keys(loadSafetensors(path, { only: ['b'] }))).toEqual(['b']);
  });
});
