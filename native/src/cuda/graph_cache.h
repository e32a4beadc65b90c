// A context's CUDA graphs, one per batch size: the whole run (edge conversions and every op)
// captured on first use and replayed after that, the least recently used dropped beyond kMaxGraphs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "exec_context.h"

namespace trtfarm::cuda {

constexpr size_t kMaxGraphs = 16;

// The graph of `batch` on `ctx`, captured from `enqueue` (which puts the run on ctx.stream and
// keeps what the captured work refers to in the graph) when there is none yet.
ExecContext::Graph& graphFor(ExecContext& ctx, int64_t batch, const std::function<void(ExecContext::Graph&)>& enqueue);

}  // namespace trtfarm::cuda
