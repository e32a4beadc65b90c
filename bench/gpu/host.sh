#!/usr/bin/env bash
# bench/gpu/host.sh: Engine.infer() from Node, fp32 host arrays in and out, against PyTorch's
# host → .cuda() → CUDA-graph replay → .cpu() in the same run (issue 7's table): 4 × FC 4096 MLP,
# every precision, batch 1…4096, and 4 / 16 calls in flight at batch 1 and 64, for each way of
# copying (TRTFARM_CUDA_HOST_IO). Needs the addon of `npm run build:native -- --CDTRTFARM_CUDA=ON`
# and python3 with a CUDA PyTorch; builds nothing. Writes bench/gpu/results-host.md.
# Usage: bash bench/gpu/host.sh [WORKDIR]  (default /tmp/trtfarm-host-bench)
# Without a GPU, the Node side alone on the cpu backend (no PyTorch, nothing written to bench/):
#   bash bench/gpu/host.sh /tmp/host-smoke --backend cpu --hidden 256
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-/tmp/trtfarm-host-bench}
shift $(( $# > 0 ? 1 : 0 ))
hidden=4096 batches=1,8,64,256,1024,4096 precisions=fp32,tf32,fp16,bf16 backend=cuda
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --hidden) hidden=${args[i + 1]} ;;
    --batches) batches=${args[i + 1]} ;;
    --precisions) precisions=${args[i + 1]} ;;
    --backend) backend=${args[i + 1]} ;;
  esac
done
mkdir -p "$work"
rm -f "$work/host-engine.jsonl" "$work/host-torch.jsonl"
npx tsx bench/gpu/host.ts --out "$work/host-engine.jsonl" --hidden "$hidden" --batches "$batches" --precisions "$precisions" "$@"
if [[ $backend == cuda ]]; then
  PYTHONUNBUFFERED=1 python3 bench/gpu/host_torch.py "$work/host-torch.jsonl" "$hidden" "$batches" "$precisions"
  npx tsx bench/gpu/host-report.ts "$work" "bash bench/gpu/host.sh" > bench/gpu/results-host.md
  cat bench/gpu/results-host.md
else
  npx tsx bench/gpu/host-report.ts "$work" "bash bench/gpu/host.sh $work $*"
fi
