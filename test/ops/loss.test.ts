/** Losses against PyTorch. */
import { bceWithLogits, binaryCrossEntropy, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss, smoothL1Loss } from '../../src/index.js';
import { fixtureSuite, type OpTable } from './runner.js';

const table: OpTable = {
  crossEntropy: {
    run: ([x, t, w], a) => crossEntropy(x, t, { reduction: a.reduction, labelSmoothing: a.labelSmoothing, ignoreIndex: a.ignoreIndex, weight: w ?? null }),
  },
  nllLoss: { run: ([x, t, w], a) => nllLoss(x, t, { reduction: a.reduction, ignoreIndex: a.ignoreIndex, weight: w ?? null }) },
  mseLoss: { run: ([x, y], a) => mseLoss(x, y, a.reduction) },
  l1Loss: { run: ([x, y], a) => l1Loss(x, y, a.reduction) },
  smoothL1Loss: { run: ([x, y], a) => smoothL1Loss(x, y, a.beta, a.reduction) },
  huberLoss: { run: ([x, y], a) => huberLoss(x, y, a.delta, a.reduction) },
  bceWithLogits: { run: ([x, y, w, pw], a) => bceWithLogits(x, y, { reduction: a.reduction, weight: w ?? null, posWeight: pw ?? null }) },
  binaryCrossEntropy: { run: ([p, y], a) => binaryCrossEntropy(p, y, a.reduction) },
};

fixtureSuite('ops_loss.json', table);
