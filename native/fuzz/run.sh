#!/usr/bin/env bash
# Fuzzes the plan reader for SECONDS (default 60) with libFuzzer under ASan/UBSan, from a seed
# corpus of real plans built at run time. Exits 77 (skipped) when clang with libFuzzer is
# missing (Debian: apt-get install clang), 1 on a finding (the crashing input is left in
# $FUZZ_WORK, printed below), 0 otherwise. Prints libFuzzer's final stats (executions, coverage).
# Usage: bash native/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${FUZZ_BUILD_DIR:-native/build-fuzz}
work=${FUZZ_WORK:-$(mktemp -d /tmp/trtfarm-fuzz.XXXXXX)}
mkdir -p "$work"

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' > "$probe/probe.cpp"
if ! command -v clang++ > /dev/null || ! clang++ -fsanitize=fuzzer,address "$probe/probe.cpp" -o "$probe/probe" 2> /dev/null; then
  echo "fuzz: skipped (no clang++ with libFuzzer; on Debian: apt-get install clang)"
  exit 77
fi

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S native -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRTFARM_FUZZ=ON \
    -DTRTFARM_CUDA=OFF -DTRTFARM_TENSORRT=OFF > "$work/cmake.log"
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target plan_reader_fuzz plan_fuzz_seeds >> "$work/cmake.log"

mkdir -p "$work/seeds" "$work/corpus" "$work/findings"
"$build/fuzz/plan_fuzz_seeds" "$work/seeds"
echo "fuzz: plan reader for ${seconds}s (work dir $work)"
status=0
(cd "$work/findings" && "$OLDPWD/$build/fuzz/plan_reader_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
  -rss_limit_mb=2048 -timeout=20 -max_len=65536 "$work/corpus" "$work/seeds") > "$work/fuzz.log" 2>&1 || status=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+ *DONE' "$work/fuzz.log" || true
if [[ $status -ne 0 ]]; then
  tail -n 60 "$work/fuzz.log"
  echo "fuzz: FINDING (exit $status); inputs in $work/findings"
  exit 1
fi
[[ -n "${FUZZ_WORK:-}" ]] || rm -rf "$work"
