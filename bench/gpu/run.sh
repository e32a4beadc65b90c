#!/usr/bin/env bash
# bench/gpu: the whole GPU benchmark in one run on the GPU machine (see the README's GPU section):
# builds the native bench, times the engine, times PyTorch on the same weights, writes
# bench/gpu/results.md. Usage: bash bench/gpu/run.sh [WORKDIR]  (default /tmp/trtfarm-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/trtfarm-bench}
build=${BUILD_DIR:-native/build/bench}
mkdir -p "$work"
[[ -f "$build/CMakeCache.txt" ]] || cmake -S native -B "$build" -DCMAKE_BUILD_TYPE=Release -DTRTFARM_CUDA=ON -DTRTFARM_TENSORRT=OFF > "$work/cmake.log"
cmake --build "$build" -j "$(nproc)" --target trtfarm_cuda_bench >> "$work/cmake.log"
"$build/bench/gpu/trtfarm_cuda_bench" "$work"
PYTHONUNBUFFERED=1 python3 bench/gpu/bench_torch.py "$work"
python3 bench/gpu/report.py "$work" "bash bench/gpu/run.sh" > bench/gpu/results.md
cat bench/gpu/results.md
