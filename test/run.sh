#!/usr/bin/env bash
# npm test: builds the addon, runs the C++ tests (ctest), the type check, then every TypeScript suite.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build:native
ctest --test-dir native/build --output-on-failure
npx tsc --noEmit
mapfile -t suites < <(find test -name '*.test.ts' | sort)
node --test --test-concurrency=1 --import tsx "${suites[@]}"
