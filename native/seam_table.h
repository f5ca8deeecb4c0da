// The addon's seam() export: the table this build was compiled with (seam_table.cc).
#pragma once

#include <napi.h>

namespace mlpk {

Napi::Value SeamTable(const Napi::CallbackInfo& info);

}  // namespace mlpk
