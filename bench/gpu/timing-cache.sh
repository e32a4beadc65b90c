#!/usr/bin/env bash
# The timing cache, cold against warm, on the GPU machine: builds trtfarm_timing_cache_bench and
# writes bench/gpu/results-timing-cache.md (target: the warm 4×4096 fp16 build ≥ 2× faster).
# Usage: bash bench/gpu/timing-cache.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-native/build/bench}
[[ -f "$build/CMakeCache.txt" ]] || cmake -S native -B "$build" -DCMAKE_BUILD_TYPE=Release -DTRTFARM_CUDA=ON -DTRTFARM_TENSORRT=OFF > /dev/null
cmake --build "$build" -j "$(nproc)" --target trtfarm_timing_cache_bench > /dev/null
lines=$("$build/bench/gpu/trtfarm_timing_cache_bench" "${1:-3}")
echo "$lines"
summary=$(grep '"summary"' <<< "$lines")
field() { sed -E "s/.*\"$1\":([^,}]*).*/\1/" <<< "$summary"; }
{
  echo "# bench/gpu: the timing cache, cold against warm"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1), $(nproc) CPU cores"
  echo "- command: \`bash bench/gpu/timing-cache.sh ${1:-3}\`"
  echo "- network: 4 × fullyConnected 4096→4096 + bias + ReLU, fp16, dynamic batch 1..4096 (opt 64). Cold: built"
  echo "  with an empty timing cache; warm: a network of the same shapes with other weights, built with the cold"
  echo "  build's winners (\`options.timingCache\`). Build = validate + compile + tune + serialize, median of the rounds."
  echo
  echo "| cold build ms | warm build ms | speedup | warm hits | entries |"
  echo "|---:|---:|---:|---:|---:|"
  echo "| $(field cold_ms) | $(field warm_ms) | $(field speedup)× | $(field warm_hits) | $(field entries) |"
  echo
  echo "Per round (JSON lines):"
  echo
  echo '```'
  echo "$lines"
  echo '```'
} > bench/gpu/results-timing-cache.md
cat bench/gpu/results-timing-cache.md
