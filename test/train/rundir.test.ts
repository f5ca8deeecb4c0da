import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRunDir, removeStaleTempFiles, settingsDiff } from '../../src/train/rundir.js';

const root = mkdtempSync(join(tmpdir(), 'mlpkit-rundir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `run${n++}`);

describe('run folders', () => {
  it('a new folder is created and config.json written; the same folder again is refused, naming what it holds', () => {
    const dir = fresh();
    expect(openRunDir(dir, { lr: 0.001, epochs: 2 })).toEqual({ resumed: false, removedTemps: [], replaced: [] });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ lr: 0.001, epochs: 2 });
    writeFileSync(join(dir, 'best.safetensors'), 'weights');
    expect(() => openRunDir(dir, { lr: 0.002, epochs: 2 })).toThrow(
      `run folder '${dir}' already holds a run (config.json, best.safetensors); pass --resume to continue it or --overwrite to replace it, or choose another --run-dir`,
    );
    // nothing was touched
    expect(readFileSync(join(dir, 'best.safetensors'), 'utf8')).toBe('weights');
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).lr).toBe(0.001);
  });

  it('overwrite removes the run files only (a user file stays) and records the new settings', () => {
    const dir = fresh();
    openRunDir(dir, { lr: 1 });
    writeFileSync(join(dir, 'log.jsonl'), '{}\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = openRunDir(dir, { lr: 2 }, { overwrite: true });
    expect(r.replaced).toEqual(['config.json', 'log.jsonl']);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'notes.txt']);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ lr: 2 });
  });

  it('resume needs a checkpoint and the same settings, and leaves config.json as the run recorded it', () => {
    const dir = fresh();
    expect(() => openRunDir(dir, { lr: 1 }, { resume: true })).toThrow(`cannot resume: run folder '${dir}' has no checkpoint.safetensors to continue from (leave out --resume to start a new run)`);
    openRunDir(dir, { lr: 1, epochs: 2, config: { hiddenDims: [8] }, quiet: false });
    expect(() => openRunDir(dir, { lr: 1, epochs: 2 }, { resume: true })).toThrow(/no checkpoint\.safetensors/);
    writeFileSync(join(dir, 'checkpoint.safetensors'), 'ckpt');
    expect(() => openRunDir(dir, { lr: 0.5, epochs: 3, config: { hiddenDims: [8] }, quiet: false }, { resume: true })).toThrow(
      'cannot resume with different settings: lr 0.5 (the run has 1), epochs 3 (the run has 2). A resumed run continues with the settings it started with; leave these out, or start a new run (another --run-dir, or --overwrite)',
    );
    expect(() => openRunDir(dir, { lr: 1, epochs: 2, config: { hiddenDims: [16] }, quiet: false }, { resume: true })).toThrow(/config\.hiddenDims \[16\] \(the run has \[8\]\)/);
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(openRunDir(dir, { lr: 1, epochs: 2, config: { hiddenDims: [8] }, quiet: true }, { resume: true, mayChange: ['quiet'] }).resumed).toBe(true);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    expect(() => openRunDir(dir, {}, { resume: true, overwrite: true })).toThrow(/exclude each other/);
  });

  it('temporary files of an interrupted save are removed on the next start; other hidden files stay', () => {
    const dir = fresh();
    openRunDir(dir, { a: 1 });
    writeFileSync(join(dir, 'checkpoint.safetensors'), 'ckpt');
    writeFileSync(join(dir, '.checkpoint.safetensors.4242.k3j9x0ab.tmp'), 'half');
    writeFileSync(join(dir, '.best.safetensors.17.zz.tmp'), 'half');
    writeFileSync(join(dir, '.keep'), '');
    expect(openRunDir(dir, { a: 1 }, { resume: true }).removedTemps.sort()).toEqual(['.best.safetensors.17.zz.tmp', '.checkpoint.safetensors.4242.k3j9x0ab.tmp']);
    expect(readdirSync(dir).sort()).toEqual(['.keep', 'checkpoint.safetensors', 'config.json']);
    expect(removeStaleTempFiles(join(root, 'absent'))).toEqual([]);
  });

  it('file-system problems name the user\'s path', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => openRunDir(file, {})).toThrow(`run folder '${file}' is a file, not a folder`);
    expect(() => openRunDir(join(file, 'sub'), {})).toThrow(`cannot create run folder '${join(file, 'sub')}': a part of the path is a file`);
    expect(existsSync(join(file, 'sub'))).toBe(false);
  });

  it('settingsDiff lists nested keys that differ', () => {
    expect(settingsDiff({ a: 1, c: { d: [1], e: 'x' } }, { a: 1, b: 2, c: { d: [2], e: 'x' } })).toEqual([
      { key: 'c.d', was: [1], now: [2] },
      { key: 'b', was: undefined, now: 2 },
    ]);
  });
});
