/** Matrix products: matmul (batched, broadcast, all transposes) and einsum. */
import { contiguousStrides, sameShape, shapeStr } from '../tensor/shape.js';
import { asStrided } from './movement.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, flopCounter, kernels, record, requireFloat, uninit } from './util.js';

/**
 * The one matmul op with a recorded gradient: out[b] = op(a[b]) · op(b[b])
 * on rank-3 inputs whose batch is equal or 1 (broadcast without copying).
 * `ta`/`tb` read a stored [k, m] / [n, k] as its transpose, which lets the
 * backward pass use the same kernel without materialising transposes.
 * `bias` ([n]) is added to every row inside the kernel, as torch.addmm
 * does for a Linear layer, instead of in a second pass over the output.
 */
export function bmm(a: Tensor, b: Tensor, ta = false, tb = false, bias: Tensor | null = null): Tensor {
  requireFloat(a, 'matmul');
  requireFloat(b, 'matmul');
  if (a.dtype !== b.dtype) throw new TypeError(`matmul: dtypes differ (${a.dtype} and ${b.dtype})`);
  const [ba, ra, ca] = a.shape;
  const [bb, rb, cb] = b.shape;
  const m = ta ? ca : ra;
  const k = ta ? ra : ca;
  const kb = tb ? cb : rb;
  const n = tb ? rb : cb;
  if (k !== kb) throw new Error(`matmul: inner dimensions differ: ${shapeStr(a.shape)}${ta ? 'ᵀ' : ''} @ ${shapeStr(b.shape)}${tb ? 'ᵀ' : ''} (${k} vs ${kb})`);
  if (ba !== bb && ba !== 1 && bb !== 1) throw new Error(`matmul: batch sizes ${ba} and ${bb} differ (${shapeStr(a.shape)} @ ${shapeStr(b.shape)})`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== n)) throw new Error(`matmul: bias ${shapeStr(bias.shape)} does not match the ${n} columns of the product`);
  if (bias && bias.dtype !== a.dtype) throw new TypeError(`matmul: bias is ${bias.dtype} but the operands are ${a.dtype}`);
  const batch = Math.max(ba, bb);
  if (flopCounter.active) flopCounter.flops += 2 * batch * m * k * n;
  const out = uninit([batch, m, n], a.dtype);
  if (out.size > 0) {
    if (k === 0) {
      const d = out.data;
      for (let i = 0; i < d.length; i++) d[i] = bias ? bias.data[i % n] : 0;
    } else {
      kernels().matmul(out.data, a.data, b.data, {
        batch, m, k, n, transA: ta, transB: tb,
        aBatchStride: ba === 1 ? 0 : m * k,
        bBatchStride: bb === 1 ? 0 : k * n,
        bias: bias?.data ?? null,
      });
    }
  }
  return record('matmul', out, bias ? [a, b, bias] : [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      ga = ta ? bmm(b, g, tb, true) : bmm(g, b, false, !tb);
      if (ba === 1 && batch > 1) ga = ga.sum(0, true);
    }
    if (b.requiresGrad) {
      gb = tb ? bmm(g, a, true, ta) : bmm(a, g, !ta, false);
      if (bb === 1 && batch > 1) gb = gb.sum(0, true);
    }
    if (!bias) return [ga, gb];
    return [ga, gb, bias.requiresGrad ? g.sum([0, 1]) : null];
  });
}

/**
 * torch.matmul: 1-D operands are promoted (and the added dim removed after),
 * batch dims broadcast.
 * @example matmul(randn([8, 3, 4]), randn([4, 5])).shape  // [8, 3, 5]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`matmul: both operands need at least one dim, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const [m, k] = a2.shape.slice(-2);
  const [kb, n] = b2.shape.slice(-2);
  if (k !== kb) throw new Error(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied (${k} vs ${kb})`);
  const aBatch = a2.shape.slice(0, -2);
  const bBatch = b2.shape.slice(0, -2);
  let out: Tensor;
  if (bBatch.length === 0) {
    // [..., m, k] @ [k, n]: fold all batch dims into the rows, one GEMM.
    out = bmm(a2.reshape([1, -1, k]), b2.unsqueeze(0)).reshape([...aBatch, m, n]);
  } else {
    let batch: number[];
    try {
      batch = broadcastShapes(aBatch, bBatch, 'matmul');
    } catch {
      throw new Error(`matmul: batch dims of ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be broadcast together (${shapeStr(aBatch)} vs ${shapeStr(bBatch)})`);
    }
    const flat = (t: Tensor, tb: readonly number[], r: number, c: number): Tensor => {
      if (tb.every((d) => d === 1)) return t.reshape([1, r, c]);
      const full = sameShape(tb, batch) ? t : t.expand([...batch, r, c]);
      return full.reshape([-1, r, c]);
    };
    out = bmm(flat(a2, aBatch, m, k), flat(b2, bBatch, k, n)).reshape([...batch, m, n]);
  }
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

// ---------------------------------------------------------------- einsum

function parseEquation(eq: string, operands: readonly Tensor[]): { inputs: string[][]; output: string[] } {
  const clean = eq.replace(/\s+/g, '');
  const [lhs, rhsRaw] = clean.split('->');
  const inTerms = lhs.split(',');
  if (inTerms.length !== operands.length) throw new Error(`einsum: equation '${eq}' has ${inTerms.length} operands but ${operands.length} tensors were given`);
  // Ellipsis becomes fresh upper-case letters (the same for every operand, right-aligned).
  const ellRank = Math.max(0, ...inTerms.map((t, i) => (t.includes('...') ? operands[i].ndim - (t.length - 3) : 0)));
  const ell = Array.from({ length: ellRank }, (_, i) => String.fromCharCode(65 + i));
  const inputs = inTerms.map((t, i): string[] => {
    const parts = t.split('...');
    if (parts.length > 2) throw new Error(`einsum: more than one '...' in operand ${i} of '${eq}'`);
    const letters: string[] = parts.length === 2 ? [...parts[0], ...ell.slice(ellRank - (operands[i].ndim - parts[0].length - parts[1].length)), ...parts[1]] : [...t];
    for (const c of letters) if (!/[a-zA-Z]/.test(c)) throw new Error(`einsum: invalid subscript '${c}' in '${eq}'`);
    if (letters.length !== operands[i].ndim) throw new Error(`einsum: operand ${i} has shape ${shapeStr(operands[i].shape)} but subscripts '${t}' name ${letters.length} dims`);
    return letters;
  });
  let output: string[];
  if (rhsRaw === undefined) {
    const counts = new Map<string, number>();
    inputs.flat().forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
    output = [...ell, ...[...counts.keys()].filter((c) => counts.get(c) === 1 && !ell.includes(c)).sort()];
  } else {
    output = rhsRaw.includes('...') ? [...rhsRaw.split('...')[0], ...ell, ...rhsRaw.split('...')[1]] : [...rhsRaw];
  }
  return { inputs, output };
}

/**
 * Take diagonals for letters repeated within one operand (one strided read:
 * a letter's stride is the sum of its occurrences' strides), then sum out
 * letters no other term nor the output uses.
 */
function reduceOwn(t: Tensor, letters: string[], keep: ReadonlySet<string>): [Tensor, string[]] {
  if (new Set(letters).size !== letters.length) {
    const uniq = [...new Set(letters)];
    const st = contiguousStrides(t.shape);
    const shape = uniq.map((c) => {
      const sizes = letters.map((l, i) => (l === c ? t.shape[i] : -1)).filter((n) => n >= 0);
      if (sizes.some((n) => n !== sizes[0])) throw new Error(`einsum: repeated subscript '${c}' covers dims of different sizes ${JSON.stringify(sizes)}`);
      return sizes[0];
    });
    const strides = uniq.map((c) => letters.reduce((s, l, i) => (l === c ? s + st[i] : s), 0));
    t = asStrided(t, shape, strides);
    letters = uniq;
  }
  const dims = letters.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (dims.length === 0) return [t, letters];
  return [t.sum(dims), letters.filter((c) => keep.has(c))];
}

function contractPair(a: Tensor, la: string[], b: Tensor, lb: string[], keep: ReadonlySet<string>): [Tensor, string[]] {
  const sizes = new Map<string, number>();
  const note = (t: Tensor, ls: string[]): void => ls.forEach((c, i) => {
    const prev = sizes.get(c);
    const n = t.shape[i];
    if (prev !== undefined && prev !== n && prev !== 1 && n !== 1) throw new Error(`einsum: subscript '${c}' has size ${prev} in one operand and ${n} in another`);
    sizes.set(c, prev === undefined || prev === 1 ? n : prev);
  });
  note(a, la);
  note(b, lb);
  const batch = la.filter((c) => lb.includes(c) && keep.has(c));
  const contract = la.filter((c) => lb.includes(c) && !keep.has(c));
  const left = la.filter((c) => !lb.includes(c));
  const right = lb.filter((c) => !la.includes(c));
  const prod = (ls: string[]): number => ls.reduce((p, c) => p * (sizes.get(c) ?? 1), 1);
  const arrange = (t: Tensor, ls: string[], order: string[]): Tensor => {
    const p = t.permute(order.map((c) => ls.indexOf(c)));
    const want = order.map((c) => sizes.get(c) ?? 1);
    return sameShape(p.shape, want) ? p : p.expand(want);
  };
  const A = arrange(a, la, [...batch, ...left, ...contract]).reshape([prod(batch), prod(left), prod(contract)]);
  const B = arrange(b, lb, [...batch, ...contract, ...right]).reshape([prod(batch), prod(contract), prod(right)]);
  const out = bmm(A, B).reshape([...batch, ...left, ...right].map((c) => sizes.get(c) ?? 1));
  return [out, [...batch, ...left, ...right]];
}

/**
 * Einstein summation over any number of operands (contracted left to right
 * through batched matmul), with '...' broadcasting and diagonals ('ii->i').
 * @example einsum('bij,bjk->bik', a, b)
 * @example einsum('...d,hd->...h', x, w)
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  if (operands.length === 0) throw new Error('einsum: no operands');
  const { inputs, output } = parseEquation(equation, operands);
  const later = (from: number): Set<string> => new Set([...output, ...inputs.slice(from).flat()]);
  let [acc, letters] = reduceOwn(operands[0], inputs[0], later(1));
  for (let i = 1; i < operands.length; i++) {
    const [t, ls] = reduceOwn(operands[i], inputs[i], new Set([...later(i + 1), ...letters]));
    [acc, letters] = contractPair(acc, letters, t, ls, later(i + 1));
  }
  for (const c of output) if (!letters.includes(c)) throw new Error(`einsum: output subscript '${c}' does not appear in any operand of '${equation}'`);
  const extra = letters.map((c, i) => (output.includes(c) ? -1 : i)).filter((i) => i >= 0);
  if (extra.length) {
    acc = acc.sum(extra);
    letters = letters.filter((c) => output.includes(c));
  }
  return acc.permute(output.map((c) => letters.indexOf(c)));
}
