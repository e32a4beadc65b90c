// 16-bit plans at the network's edge: a GEMV that is the only reader of a network input can take
// it as fp32, and one that writes a network output nothing else reads can write fp32, so that no
// conversion kernel runs there (at small batches those cost more than the bytes they move).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "../core/arena_plan.h"
#include "../core/program.h"
#include "tactics.h"

namespace trtfarm::cuda {

// Per value: how many op inputs name it, an op reading it and the op writing it (-1: none).
struct ValueUses {
  explicit ValueUses(const Program& program);
  std::vector<int> readers;
  std::vector<int32_t> reader, writer;
};

// Per network input and output, in order: the Gemm op that reads / writes it as fp32, or -1
// where it is converted. `gemvAt(op)`: the GEMV tactic op runs with at this batch, or nullptr.
struct EdgeOps {
  std::vector<int32_t> input, output;
};
EdgeOps fp32EdgeOps(const Program& program, const ArenaPlan& arena, const ValueUses& uses,
                    const std::function<const Tactic*(int32_t op)>& gemvAt);

}  // namespace trtfarm::cuda
