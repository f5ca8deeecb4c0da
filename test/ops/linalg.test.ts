/** matmul, bmm with transpose flags (and a fused bias) and einsum against PyTorch. */
import { bmm, einsum } from '../../src/index.js';
import { fixtureSuite, type OpTable } from './runner.js';

// Sums of up to 5 products of O(1) values in float32.
const tol = { atol: 2e-5, rtol: 1e-4 };

const table: OpTable = {
  matmul: { run: ([x, y]) => x.matmul(y), tol, gradTol: tol },
  matmulT: { run: ([x, y], a) => (a.transA ? x.mT : x).matmul(a.transB ? y.mT : y), tol, gradTol: tol },
  bmm: { run: ([x, y], a) => bmm(x, y, a.transA, a.transB), tol, gradTol: tol },
  bmmBias: { run: ([x, y, c], a) => bmm(x, y, a.transA, a.transB, c), tol, gradTol: tol },
  einsum: { run: (xs, a) => einsum(a.equation, ...xs), tol, gradTol: tol },
};

fixtureSuite('ops_linalg.json', table);
