// The C++ half of the TypeScript/C++ seam, built from the X-macro lists of
// seam_generated.h (rendered from src/backend/native/seam.ts). Everything that
// both sides must agree on — op codes, parameter-block slots, kMaxDims — comes
// from those lists, and so does the table the addon reports (seam() in
// seam_table.cc) for the TypeScript side to check at load time. The enums and the
// reported names are expanded from the same list, so they cannot disagree.
#pragma once

#include <cstddef>

#include "seam_generated.h"

namespace mlpk {

constexpr int kMaxDims = MLPK_SEAM_MAX_DIMS;  // after collapsing; the JS side falls back above this
constexpr int kCompareBase = MLPK_SEAM_COMPARE_BASE;

// Op codes: positions in the lists. No *_COUNT enumerator, so that a switch
// over an enum must name every op (-Werror=switch in binding.gyp): an op added
// to seam.ts without a kernel does not compile.
#define MLPK_ENUM_ENTRY(prefix, id) prefix##id,
#define MLPK_U(id, name) MLPK_ENUM_ENTRY(U_, id)
#define MLPK_A(id, name) MLPK_ENUM_ENTRY(A_, id)
#define MLPK_C(id, name) MLPK_ENUM_ENTRY(C_, id)
#define MLPK_R(id, name) MLPK_ENUM_ENTRY(R_, id)
enum UnaryOp { MLPK_SEAM_UNARY_OPS(MLPK_U) };
enum ArithOp { MLPK_SEAM_ARITH_OPS(MLPK_A) };
enum CompareOp { MLPK_SEAM_COMPARE_OPS(MLPK_C) };
enum ReduceOp { MLPK_SEAM_REDUCE_OPS(MLPK_R) };
#undef MLPK_U
#undef MLPK_A
#undef MLPK_C
#undef MLPK_R
#undef MLPK_ENUM_ENTRY

#define MLPK_COUNT_ONE(...) +1
constexpr int kUnaryOps = 0 MLPK_SEAM_UNARY_OPS(MLPK_COUNT_ONE);
constexpr int kArithOps = 0 MLPK_SEAM_ARITH_OPS(MLPK_COUNT_ONE);
constexpr int kCompareOps = 0 MLPK_SEAM_COMPARE_OPS(MLPK_COUNT_ONE);
constexpr int kReduceOps = 0 MLPK_SEAM_REDUCE_OPS(MLPK_COUNT_ONE);

// Parameter-block slots: slot::matmul::k is where the TypeScript side wrote k
// (it writes P[SLOTS.matmul.k]). One namespace per layout.
namespace slot {
#define MLPK_SLOT_ENTRY(name) name,
#define MLPK_SLOT_LAYOUT(layout, LIST) \
  namespace layout {                   \
  enum : size_t { LIST(MLPK_SLOT_ENTRY) };   \
  constexpr size_t kCount = 0 LIST(MLPK_COUNT_ONE); \
  }
MLPK_SEAM_LAYOUTS(MLPK_SLOT_LAYOUT)
#undef MLPK_SLOT_LAYOUT
#undef MLPK_SLOT_ENTRY
}  // namespace slot
#undef MLPK_COUNT_ONE

}  // namespace mlpk
