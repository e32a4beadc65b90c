#!/usr/bin/env bash
# The whole farm on the GPU machine (the README's GPU section): starts it as `npm start` does (private
# redis-server, one worker per visible GPU, the API) with a fresh data dir, then builds the seed and
# the 4×4096 fp16 MLP through REST and loads the farm with batch-1 KServe v2 requests (JSON and
# binary, 1/16/64/256 clients) beside the engine's own batched ceiling, with
# bench/gpu/farm-client.ts; appends the table to bench/gpu/results-farm.md, and stops the farm.
# Usage: bash bench/gpu/farm.sh [CLIENT.ts …]   (the clients run one after another against the same
# farm; default bench/gpu/farm-client.ts; bench/gpu/sweep-client.ts times a sweep. PORT, default
# 18080; the clients' settings, e.g. for a local smoke test on the cpu: BACKEND=cpu WIDTH=256
# MAX_BATCH=64 CLIENTS=1,16,64 SECONDS=2)
set -euo pipefail
cd "$(dirname "$0")/../.."
export TRTFARM_DATA_DIR=${TRTFARM_DATA_DIR:-$(mktemp -d /tmp/trtfarm-farm.XXXX)}
export PORT=${PORT:-18080}
# The supervisor itself, not npx or tsx in front of it (which may exit before it has stopped the
# farm): `wait` then returns once workers, API and Redis are gone and the port is free.
node --import tsx bin/farm.ts > "$TRTFARM_DATA_DIR/farm.out" 2>&1 &
farm=$!
stop() {
  kill -TERM $farm 2>/dev/null; wait $farm 2>/dev/null || true
  return 0
}
trap stop EXIT
for _ in $(seq 240); do
  grep -q "trtfarm ready at" "$TRTFARM_DATA_DIR/farm.out" && break
  kill -0 $farm 2>/dev/null || break
  sleep 0.5
done
if ! grep "trtfarm ready at" "$TRTFARM_DATA_DIR/farm.out"; then
  echo "the farm did not start:"; cat "$TRTFARM_DATA_DIR/farm.out"; tail -n 30 "$TRTFARM_DATA_DIR"/logs/*.log
  exit 1
fi
for client in "${@:-bench/gpu/farm-client.ts}"; do npx tsx "$client" "http://127.0.0.1:$PORT"; done
