/** Reductions, the softmax family and cumsum against PyTorch. */
import type { Tensor } from '../../src/index.js';
import { fixtureSuite, type OpSpec, type OpTable } from './runner.js';

/** torch.max(x, dim) returns (values, indices): compare both. */
const along = (pick: (x: Tensor, dim: number, keepdim: boolean) => { values: Tensor; indices: Tensor }): OpSpec => ({
  run: ([x], a) => {
    const r = pick(x, a.dim, a.keepdim ?? false);
    return [r.values, r.indices];
  },
});

const table: OpTable = {
  sum: { run: ([x], a) => x.sum(a.dims, a.keepdim ?? false) },
  mean: { run: ([x], a) => x.mean(a.dims, a.keepdim ?? false) },
  max: { run: ([x], a) => x.max(a.dims, a.keepdim ?? false) },
  min: { run: ([x], a) => x.min(a.dims, a.keepdim ?? false) },
  maxAlong: along((x, d, k) => x.maxAlong(d, k)),
  minAlong: along((x, d, k) => x.minAlong(d, k)),
  argmax: { run: ([x], a) => x.argmax(a.dim, a.keepdim ?? false), gradcheck: false },
  argmin: { run: ([x], a) => x.argmin(a.dim, a.keepdim ?? false), gradcheck: false },
  var: { run: ([x], a) => x.var(a.dims, { unbiased: a.unbiased, keepdim: a.keepdim }) },
  std: { run: ([x], a) => x.std(a.dims, { unbiased: a.unbiased, keepdim: a.keepdim }) },
  logsumexp: { run: ([x], a) => x.logsumexp(a.dims, a.keepdim ?? false) },
  softmax: { run: ([x], a) => x.softmax(a.dim) },
  logSoftmax: { run: ([x], a) => x.logSoftmax(a.dim) },
  cumsum: { run: ([x], a) => x.cumsum(a.dim) },
};

fixtureSuite('ops_reduce.json', table);
