// The compatKey of tensorrt plans: "tensorrt:<gpu>:trt<version>:cuda<version>". By default an
// engine runs only on the SM it was built for ("sm_86") and with the exact TensorRT release;
// a hardware-compatible one on every Ampere or newer GPU ("sm_80+"), a version-compatible one
// on this release and later ones, at least within its major ("trt10.16.0+"). Needs no TensorRT: pure text.
#pragma once

#include <string>
#include <vector>

#include "../core/program.h"

namespace trtfarm::tensorrt {

struct CompatKeyParts {
  std::string computeCapability;  // "8.6", of the GPU that builds or loads
  std::string tensorrt;           // "10.16.0", the library loaded
  std::string cuda;               // "13.0", the CUDA runtime
};

// The key of a plan built on `here` with `options`.
std::string compatKeyFor(const CompatKeyParts& here, const TensorrtOptions& options);
// Every key a plan built on `here` can carry: the ones a machine like `here` loads.
std::vector<std::string> compatKeysOf(const CompatKeyParts& here);
// Whether a plan with this key was built with kVERSION_COMPATIBLE (its engine embeds the
// lean runtime, which the loading runtime must be allowed to run).
bool isVersionCompatibleKey(const std::string& key);

}  // namespace trtfarm::tensorrt
