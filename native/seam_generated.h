// Generated from src/backend/native/seam.ts by `npm run seam`; do not edit.
// test/backend/seam.test.ts fails when this file is out of date.
#pragma once

#define MLPK_SEAM_MAX_DIMS 16
#define MLPK_SEAM_COMPARE_BASE 100

#define MLPK_SEAM_UNARY_OPS(X) \
  X(NEG, "neg") \
  X(ABS, "abs") \
  X(SIGN, "sign") \
  X(EXP, "exp") \
  X(LOG, "log") \
  X(LOG1P, "log1p") \
  X(EXPM1, "expm1") \
  X(SQRT, "sqrt") \
  X(RSQRT, "rsqrt") \
  X(RECIPROCAL, "reciprocal") \
  X(SIN, "sin") \
  X(COS, "cos") \
  X(TANH, "tanh") \
  X(SIGMOID, "sigmoid") \
  X(ERF, "erf") \
  X(RELU, "relu") \
  X(FLOOR, "floor") \
  X(CEIL, "ceil") \
  X(ROUND, "round") \
  X(GELU, "gelu") \
  /* end */

#define MLPK_SEAM_ARITH_OPS(X) \
  X(ADD, "add") \
  X(SUB, "sub") \
  X(MUL, "mul") \
  X(DIV, "div") \
  X(POW, "pow") \
  X(MAXIMUM, "maximum") \
  X(MINIMUM, "minimum") \
  X(GELU_BACKWARD, "geluBackward") \
  /* end */

#define MLPK_SEAM_COMPARE_OPS(X) \
  X(EQ, "eq") \
  X(NE, "ne") \
  X(LT, "lt") \
  X(LE, "le") \
  X(GT, "gt") \
  X(GE, "ge") \
  /* end */

#define MLPK_SEAM_REDUCE_OPS(X) \
  X(SUM, "sum") \
  X(MAX, "max") \
  X(MIN, "min") \
  X(ARGMAX, "argmax") \
  X(ARGMIN, "argmin") \
  /* end */

#define MLPK_SEAM_LAYOUT_REDUCE(X) \
  X(outer) \
  X(n) \
  X(inner) \
  /* end */

#define MLPK_SEAM_LAYOUT_CUMSUM(X) \
  X(outer) \
  X(n) \
  X(inner) \
  /* end */

#define MLPK_SEAM_LAYOUT_INDEX(X) \
  X(outer) \
  X(n) \
  X(inner) \
  /* end */

#define MLPK_SEAM_LAYOUT_MATMUL(X) \
  X(batch) \
  X(m) \
  X(k) \
  X(n) \
  X(transA) \
  X(transB) \
  X(aBatchStride) \
  X(bBatchStride) \
  X(hasBias) \
  /* end */

#define MLPK_SEAM_LAYOUT_LAYER_NORM(X) \
  X(rows) \
  X(cols) \
  X(eps) \
  X(hasWeight) \
  X(hasBias) \
  /* end */

#define MLPK_SEAM_LAYOUT_LAYER_NORM_BACKWARD(X) \
  X(rows) \
  X(cols) \
  X(hasDw) \
  X(hasDb) \
  X(hasWeight) \
  /* end */

#define MLPK_SEAM_LAYOUT_ADAM_STEP(X) \
  X(beta1) \
  X(beta2) \
  X(stepSize) \
  X(invBc2Sqrt) \
  X(eps) \
  X(l2) \
  X(shrink) \
  X(sign) \
  /* end */

#define MLPK_SEAM_LAYOUT_BERNOULLI_FILL(X) \
  X(threshold) \
  X(value) \
  /* end */

#define MLPK_SEAM_LAYOUT_MLP_FORWARD(X) \
  X(rows) \
  X(c) \
  X(f) \
  X(o) \
  X(hasB1) \
  X(hasB2) \
  X(hasKeep) \
  X(scale) \
  /* end */

#define MLPK_SEAM_LAYOUT_MLP_BACKWARD(X) \
  X(rows) \
  X(c) \
  X(f) \
  X(o) \
  X(hasDw1) \
  X(hasDb1) \
  X(hasDw2) \
  X(hasDb2) \
  X(hasB1) \
  X(hasKeep) \
  X(scale) \
  /* end */

#define MLPK_SEAM_LAYOUTS(X) \
  X(reduce, MLPK_SEAM_LAYOUT_REDUCE) \
  X(cumsum, MLPK_SEAM_LAYOUT_CUMSUM) \
  X(index, MLPK_SEAM_LAYOUT_INDEX) \
  X(matmul, MLPK_SEAM_LAYOUT_MATMUL) \
  X(layerNorm, MLPK_SEAM_LAYOUT_LAYER_NORM) \
  X(layerNormBackward, MLPK_SEAM_LAYOUT_LAYER_NORM_BACKWARD) \
  X(adamStep, MLPK_SEAM_LAYOUT_ADAM_STEP) \
  X(bernoulliFill, MLPK_SEAM_LAYOUT_BERNOULLI_FILL) \
  X(mlpForward, MLPK_SEAM_LAYOUT_MLP_FORWARD) \
  X(mlpBackward, MLPK_SEAM_LAYOUT_MLP_BACKWARD) \
  /* end */
