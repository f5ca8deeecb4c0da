/**
 * The crash harness: a real training process (test/train/crash-child.mjs, run
 * from the built package) is killed with SIGKILL at random moments — many of
 * them inside a checkpoint write — and restarted with resume until it
 * finishes. Nothing may be lost or corrupted: every restart loads the last
 * checkpoint, the hidden temporary files of interrupted saves are gone once
 * the run is over, the log records each epoch once, and the final weights are
 * bit-identical to an uninterrupted run's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../src/io/index.js';
import { readJsonl } from '../../src/train/jsonl.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'crash-child.mjs');
const built = existsSync(join(here, '..', '..', 'dist', 'index.js'));
const root = mkdtempSync(join(tmpdir(), 'mlpkit-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Run the child and kill it after `kill.ms` milliseconds, or at the `kill.save`-th
 * moment a temporary file (a save in progress) is seen in the run folder; null
 * lets it finish. Resolves whether it finished.
 */
function run(runDir: string, resume: boolean, kill: { ms: number } | { save: number } | null): Promise<{ finished: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, runDir, ...(resume ? ['resume'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let timer: NodeJS.Timeout | null = null;
    if (kill && 'ms' in kill) timer = setTimeout(() => p.kill('SIGKILL'), kill.ms);
    if (kill && 'save' in kill) {
      let seen = 0;
      let last = '';
      timer = setInterval(() => {
        const temp = existsSync(runDir) ? readdirSync(runDir).find((f) => f.endsWith('.tmp')) : undefined;
        if (temp && temp !== last && ++seen >= kill.save) p.kill('SIGKILL');
        if (temp) last = temp;
      }, 1);
    }
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      if (signal === 'SIGKILL') resolve({ finished: false, stderr: err });
      else if (code === 0 && out.includes('done')) resolve({ finished: true, stderr: err });
      else reject(new Error(`the training child exited with ${code}: ${err}`));
    });
  });
}

/** A small seeded generator for the kill times, so a failing sequence can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.skipIf(!built)('training survives kill -9 at random moments (built package)', () => {
  it('resumes to bit-identical weights, leaves no temp files and logs every epoch once', async () => {
    const reference = join(root, 'reference');
    expect((await run(reference, false, null)).finished).toBe(true);

    const dir = join(root, 'killed');
    const rand = lcg(20261203);
    const kills: string[] = [];
    let tempsSeen = 0;
    let finished = false;
    for (let attempt = 0; attempt < 25 && !finished; attempt++) {
      // The first 12 attempts die — at random times, or inside the 1st–3rd save they start,
      // alternately; then the run is left to finish.
      const kill = attempt >= 12 ? null : attempt % 2 ? { save: 1 + Math.floor(rand() * 3) } : { ms: Math.round(400 + rand() * 2600) };
      const r = await run(dir, existsSync(join(dir, 'checkpoint.safetensors')), kill);
      finished = r.finished;
      if (!finished) {
        kills.push(kill && 'ms' in kill ? `${kill.ms} ms` : `save ${(kill as { save: number }).save}`);
        if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.tmp'))) tempsSeen++;
      }
    }
    expect(finished, `kills: ${kills.join(', ')}`).toBe(true);
    expect(kills.length).toBeGreaterThan(0);

    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    const epochs = readJsonl(join(dir, 'log.jsonl')).filter((r) => r.event === 'epoch').map((r) => r.epoch);
    expect(epochs, `kills: ${kills.join(', ')}`).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const a = loadSafetensors(join(reference, 'checkpoint.safetensors'));
    const b = loadSafetensors(join(dir, 'checkpoint.safetensors'));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    const bytes = (t: { data: ArrayLike<number> & ArrayBufferView }): Buffer => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    for (const k of Object.keys(a)) expect(bytes(b[k]).equals(bytes(a[k])), k).toBe(true);
    // How often a kill landed inside a save varies with the machine; reported for whoever reads the log.
    console.log(`crash harness: ${kills.length} kills (${tempsSeen} left a save unfinished): ${kills.join(', ')}`);
  }, 240_000);
});
