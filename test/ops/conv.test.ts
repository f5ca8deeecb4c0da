/** Convolutions and pooling against PyTorch. */
import { avgPool1d, avgPool2d, conv1d, conv2d, maxPool1d, maxPool2d } from '../../src/index.js';
import { fixtureSuite, type OpTable } from './runner.js';

// Up to 36-term dot products of O(1) values in float32.
const tol = { atol: 5e-5, rtol: 1e-4 };

const table: OpTable = {
  conv2d: {
    run: ([x, w, b], a) => conv2d(x, w, b ?? null, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups }),
    tol,
    gradTol: tol,
  },
  conv1d: {
    run: ([x, w, b], a) => conv1d(x, w, b ?? null, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups }),
    tol,
    gradTol: tol,
  },
  maxPool2d: {
    run: ([x], a) => maxPool2d(x, a.kernel, { stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode }),
  },
  avgPool2d: {
    run: ([x], a) =>
      avgPool2d(x, a.kernel, {
        stride: a.stride, padding: a.padding, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride,
      }),
  },
  maxPool1d: {
    run: ([x], a) => maxPool1d(x, a.kernel, { stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode }),
  },
  avgPool1d: {
    run: ([x], a) => avgPool1d(x, a.kernel, { stride: a.stride, padding: a.padding, ceilMode: a.ceilMode, countIncludePad: a.countIncludePad }),
  },
};

fixtureSuite('ops_conv.json', table);
