#!/usr/bin/env bash
# The whole farm on the GPU machine (README-gpu.md): starts it as `npm start` does (private
# redis-server, one worker per visible GPU, the API) with a fresh data dir, then builds and runs
# the seed and the 4×4096 MLP through REST with bench/gpu/farm-client.ts, and stops it.
# Usage: bash bench/gpu/farm.sh   (PORT, default 18080; the client's report goes to stdout)
set -euo pipefail
cd "$(dirname "$0")/../.."
export TRTFARM_DATA_DIR=${TRTFARM_DATA_DIR:-$(mktemp -d /tmp/trtfarm-farm.XXXX)}
export PORT=${PORT:-18080} LOG_LEVEL=${LOG_LEVEL:-warn}
npx tsx bin/farm.ts > "$TRTFARM_DATA_DIR/farm.out" 2>&1 &
farm=$!
trap 'kill -TERM $farm 2>/dev/null; wait $farm 2>/dev/null || true' EXIT
for _ in $(seq 240); do
  grep -q "trtfarm ready at" "$TRTFARM_DATA_DIR/farm.out" && break
  kill -0 $farm 2>/dev/null || { cat "$TRTFARM_DATA_DIR/farm.out"; exit 1; }
  sleep 0.5
done
grep "trtfarm ready at" "$TRTFARM_DATA_DIR/farm.out"
npx tsx bench/gpu/farm-client.ts "http://127.0.0.1:$PORT"
