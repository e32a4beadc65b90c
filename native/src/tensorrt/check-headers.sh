#!/usr/bin/env bash
# Compile-checks the tensorrt backend against a TensorRT release's public headers, without the
# SDK's libraries: every source here, -fsyntax-only -Wall -Wextra -Werror.
#   TENSORRT_ROOT=/path/with/include/NvInfer.h bash native/src/tensorrt/check-headers.sh
# CUDA runtime headers come from CUDA_ROOT (default /usr/local/cuda).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${TENSORRT_ROOT:?set TENSORRT_ROOT to a folder holding include/NvInfer.h}"
cuda="${CUDA_ROOT:-/usr/local/cuda}"
[[ -f "$TENSORRT_ROOT/include/NvInfer.h" ]] || { echo "no $TENSORRT_ROOT/include/NvInfer.h" >&2; exit 2; }
[[ -f "$cuda/include/cuda_runtime_api.h" ]] || { echo "no CUDA runtime headers in $cuda/include" >&2; exit 2; }
cxx="${CXX:-g++}"
version="$(printf '#include <NvInferVersion.h>\nNV_TENSORRT_MAJOR NV_TENSORRT_MINOR NV_TENSORRT_PATCH\n' |
  "$cxx" -E -P -x c++ -I "$TENSORRT_ROOT/include" - | tail -1 | tr ' ' .)"
flags=(-std=c++17 -fsyntax-only -Wall -Wextra -Werror -isystem "$TENSORRT_ROOT/include" -isystem "$cuda/include" -I "$here/..")
status=0
# Each file as the one thing a translation unit includes: a header must then be self-contained.
for source in "$here"/*.cpp "$here"/*.h; do
  if ! echo "#include \"$source\"" | "$cxx" "${flags[@]}" -x c++ -; then
    echo "FAILED: $(basename "$source")" >&2
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "tensorrt backend: every source compiles warning-free against TensorRT $version headers ($TENSORRT_ROOT)"
exit $status
