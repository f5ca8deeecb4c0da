// The addon's seam() export (see seam.h and src/backend/native/seam.ts).
#include "seam_table.h"

#include <cstdint>
#include <initializer_list>

#include "seam.h"

namespace mlpk {

// seam(): the op lists and parameter-block layouts this build was compiled with. They are expanded from
// the same X-macro lists (seam_generated.h) as the enums the kernels switch on and the slots addon.cc reads,
// so they say what this binary really does; the TypeScript side compares them with its own table
// (checkSeam in src/backend/native/seam.ts) and refuses a build that disagrees, e.g. a stale build/.
Napi::Value SeamTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto list = [&](std::initializer_list<const char*> names) {
    Napi::Array a = Napi::Array::New(env, names.size());
    uint32_t i = 0;
    for (const char* name : names) a.Set(i++, name);
    return a;
  };
  Napi::Object ops = Napi::Object::New(env);
#define MLPK_OP_NAME(id, name) name,
  ops.Set("unary", list({MLPK_SEAM_UNARY_OPS(MLPK_OP_NAME)}));
  ops.Set("arith", list({MLPK_SEAM_ARITH_OPS(MLPK_OP_NAME)}));
  ops.Set("compare", list({MLPK_SEAM_COMPARE_OPS(MLPK_OP_NAME)}));
  ops.Set("reduce", list({MLPK_SEAM_REDUCE_OPS(MLPK_OP_NAME)}));
#undef MLPK_OP_NAME
  Napi::Object layouts = Napi::Object::New(env);
#define MLPK_SLOT_NAME(name) #name,
#define MLPK_LAYOUT(layout, LIST) layouts.Set(#layout, list({LIST(MLPK_SLOT_NAME)}));
  MLPK_SEAM_LAYOUTS(MLPK_LAYOUT)
#undef MLPK_LAYOUT
#undef MLPK_SLOT_NAME
  Napi::Object o = Napi::Object::New(env);
  o.Set("maxDims", mlpk::kMaxDims);
  o.Set("compareBase", mlpk::kCompareBase);
  o.Set("ops", ops);
  o.Set("layouts", layouts);
  return o;
}

}  // namespace mlpk
