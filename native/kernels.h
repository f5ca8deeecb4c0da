// The kernels whose speed depends on the instruction set. kernels.cc and
// gemm.cc are compiled once per ISA level into their own namespace; each
// build exports one IsaKernels table and addon.cc picks the best table the CPU
// supports at load time (runtime dispatch, so one build runs on any x86-64).
#pragma once

#include <cstdint>

#include "seam.h"  // op codes (UnaryOp, ArithOp, CompareOp, ReduceOp) and kMaxDims

namespace mlpk {

/** Adam hyperparameters (addon.cc fills them from the adamStep slots of the parameter block). */
struct AdamParams {
  double beta1, beta2, step_size, inv_bc2_sqrt, eps, l2, shrink, sign;
};

/** A strided view of up to kMaxDims dims: out position → one offset per operand. */
struct Strided {
  int nd;
  int64_t shape[kMaxDims];
  int64_t strides[4][kMaxDims];  // [0] is the contiguous output
};

struct GemmParams {
  int64_t batch, m, k, n;
  bool trans_a, trans_b;
  int64_t a_batch_stride, b_batch_stride;
  const float* bias;  // n values added to every row of C (a Linear layer's bias), or null
};

struct IsaKernels {
  const char* name;
  void (*unary_f32)(int op, float* out, const float* a, int64_t n);
  void (*binary_f32)(int op, float* out, const float* a, const float* b, const Strided& s);
  void (*compare_f32)(int op, uint8_t* out, const float* a, const float* b, const Strided& s);
  void (*where_f32)(float* out, const uint8_t* c, const float* a, const float* b, const Strided& s);
  /** argmax/argmin write int32 into out. */
  void (*reduce_f32)(int op, void* out, const float* a, int64_t outer, int64_t n, int64_t inner);
  void (*gemm_f32)(float* c, const float* a, const float* b, const GemmParams& p);
  /** Layer norm of rows × cols (w, b may be null); mean and rstd per row. */
  void (*layer_norm_f32)(float* out, float* mean, float* rstd, const float* x, const float* w, const float* b,
                         int64_t rows, int64_t cols, float eps);
  /** Its gradients: dx; dw, db (overwritten) when not null. */
  void (*layer_norm_backward_f32)(float* dx, float* dw, float* db, const float* g, const float* x, const float* mean,
                                  const float* rstd, const float* w, int64_t rows, int64_t cols);
  /** One Adam update in place (no AMSGrad). */
  void (*adam_f32)(float* p, const float* g, float* m, float* v, int64_t n, const AdamParams& h);
  /**
   * Fused narrow MLP (mlp.cc): out = (relu(x·W1ᵀ + b1)·m)·W2ᵀ + b2 over rows, where m = scale for a hidden
   * unit whose keep byte is set and 0 otherwise (1 everywhere when keep is null); b1, b2 may be null.
   * Returns false when out of memory.
   */
  bool (*mlp_forward_f32)(float* out, const float* x, const float* w1, const float* b1, const float* w2, const float* b2,
                          const uint8_t* keep, float scale, int64_t rows, int64_t c, int64_t f, int64_t o);
  /** Its gradients for the output gradient g: dx, and dw1, db1, dw2, db2 (overwritten) when not null. */
  bool (*mlp_backward_f32)(float* dx, float* dw1, float* db1, float* dw2, float* db2, const float* g, const float* x,
                           const float* w1, const float* b1, const float* w2, const uint8_t* keep, float scale,
                           int64_t rows, int64_t c, int64_t f, int64_t o);
};

/**
 * Collapse a view in place: drop size-1 dims and merge neighbours that every
 * operand walks contiguously. Returns the element count (0 for empty).
 */
int64_t collapse(Strided& s, int nops);

}  // namespace mlpk

// One table per ISA build (those not built on this platform are absent).
namespace mlpk_x86_64_v4 { extern const mlpk::IsaKernels kTable; }
namespace mlpk_x86_64_v3 { extern const mlpk::IsaKernels kTable; }
namespace mlpk_generic { extern const mlpk::IsaKernels kTable; }
