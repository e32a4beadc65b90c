// The JS arguments of validate()/build() as core structs (shared/network/spec.ts shapes).
// Type errors throw Error{Network} naming the field.
#pragma once

#include <napi.h>

#include "core/network.h"
#include "core/program.h"

namespace trtfarm::addon {

NetworkSpec networkFromJs(const Napi::Value& value);
BuildConfig buildConfigFromJs(const Napi::Value& value);
// options.reuseTacticsFrom: the bytes of an earlier plan whose tactics a build reuses (empty: none).
std::vector<uint8_t> earlierPlanFromJs(const Napi::Value& value);

}  // namespace trtfarm::addon
