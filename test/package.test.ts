/** The built package as a user sees it (npm test builds before running the tests). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

describe('the built package', () => {
  it('imports by name with its main API, and ships type declarations', () => {
    const script = `
      import { tensor, randn, noGrad, grad, nn, optim, io, data, models } from 'mlpkit';
      const w = randn([3, 2], { requiresGrad: true });
      const loss = tensor([[1, 2, 3]]).matmul(w).square().sum();
      loss.backward();
      console.log(JSON.stringify({ g: w.grad.shape, nn: typeof nn.Linear, optim: typeof optim.AdamW, io: typeof io.loadSafetensors,
        data: typeof data.DataLoader, models: models.list().length > 0, noGrad: typeof noGrad, grad: typeof grad }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ g: [3, 2], nn: 'function', optim: 'function', io: 'function', data: 'function', models: true, noGrad: 'function', grad: 'function' });
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { types: string; bin: Record<string, string> };
    expect(existsSync(`${root}${pkg.types}`)).toBe(true);
    expect(readFileSync(`${root}dist/index.d.ts`, 'utf8')).toContain('Tensor');
  });

  it('has an mlpkit binary that answers --version and --help', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string; bin: Record<string, string> };
    const bin = `${root}${pkg.bin.mlpkit}`;
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain('Usage: mlpkit <command>');
  });

  it("runs the README's first example as written", () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const block = /## A first example\s+```js\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README has a js block under "A first example"').not.toBeNull();
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', block![1]], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/^tensor\(\[\[-?\d.*shape=\[3, 2\], dtype=float32\)$/ms);
    expect(out.trim().split('\n').pop()).toBe('[ 3, 2 ]');
  });
});
