/** Views and data movement against PyTorch. */
import { asStrided, cat, indexAdd, oneHot, scatterAdd, stack } from '../../src/index.js';
import { fixtureSuite, type OpTable } from './runner.js';

const table: OpTable = {
  reshape: { run: ([x], a) => x.reshape(a.shape) },
  view: { run: ([x], a) => x.view(a.shape) },
  flatten: { run: ([x], a) => x.flatten(a.start ?? 0, a.end ?? -1) },
  unsqueeze: { run: ([x], a) => x.unsqueeze(a.dim) },
  squeeze: { run: ([x], a) => x.squeeze(a.dims) },
  permute: { run: ([x], a) => x.permute(a.dims) },
  transpose: { run: ([x], a) => x.transpose(a.dim0, a.dim1) },
  mT: { run: ([x]) => x.mT },
  expand: { run: ([x], a) => x.expand(a.shape) },
  broadcastTo: { run: ([x], a) => x.broadcastTo(a.shape) },
  narrow: { run: ([x], a) => x.narrow(a.dim, a.start, a.length) },
  select: { run: ([x], a) => x.select(a.dim, a.index) },
  slice: { run: ([x], a) => x.slice(a.dim, a.start, a.end, a.step) },
  indexSelect: { run: ([x, i], a) => x.indexSelect(a.dim, i) },
  indexAdd: { run: ([x, i, s], a) => indexAdd(x, a.dim, i, s) },
  gather: { run: ([x, i], a) => x.gather(a.dim, i) },
  scatterAdd: { run: ([x, i, s], a) => scatterAdd(x, a.dim, i, s) },
  split: { run: ([x], a) => x.split(a.sizes, a.dim) },
  chunk: { run: ([x], a) => x.chunk(a.chunks, a.dim) },
  cat: { run: (xs, a) => cat(xs, a.dim) },
  stack: { run: (xs, a) => stack(xs, a.dim) },
  pad: { run: ([x], a) => x.pad(a.pads, a.mode, a.value) },
  roll: { run: ([x], a) => x.roll(a.shifts, a.dims) },
  flip: { run: ([x], a) => x.flip(a.dims) },
  repeat: { run: ([x], a) => x.repeat(a.reps) },
  tril: { run: ([x], a) => x.tril(a.k ?? 0) },
  triu: { run: ([x], a) => x.triu(a.k ?? 0) },
  oneHot: { run: ([i], a) => oneHot(i, a.numClasses), gradcheck: false },
  toInt32: { run: ([x]) => x.int(), gradcheck: false },
  clone: { run: ([x]) => x.clone() },
  asStrided: { run: ([x], a) => asStrided(x, a.shape, a.strides, a.offset) },
};

fixtureSuite('ops_movement.json', table);
