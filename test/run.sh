#!/usr/bin/env bash
# npm test: builds the addon, runs the C++ tests (ctest), a short fuzz run of the plan reader, the type
# check, then every TypeScript suite.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build:native
ctest --test-dir native/build --output-on-failure
# The plan reader under libFuzzer + ASan/UBSan for a bounded time, where clang has libFuzzer (77: skipped).
fuzz=0
bash native/fuzz/run.sh "${TRTFARM_FUZZ_SECONDS:-25}" || fuzz=$?
[[ $fuzz -eq 0 || $fuzz -eq 77 ]] || exit "$fuzz"
npx tsc --noEmit
mapfile -t suites < <(find test -name '*.test.ts' | sort)
node --test --test-concurrency=1 --import tsx "${suites[@]}"
