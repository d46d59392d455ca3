#!/usr/bin/env bash
# Load test over HTTP: the release server under wrk, for each query of benches/queries/, beside
# /static.json — a fixed body of the product question's answer's size from the same server,
# the ceiling. Prints a Markdown table (requests/s, p50, p99, ratio to the ceiling) and the
# server's peak resident memory. Installs wrk (Debian) if it is missing.
#
#   benches/load.sh [SCALE] [DURATION] [CONNECTIONS]     defaults: 1000 10s 32
#
# Environment: CACHE_MB (sled's cache, default 16, as the server's), RESPONSE_CACHE_MB (answers kept until
# the next write, default 32; 0 measures every request executed), KEEP=1 keeps the
# generated store in target/load-stores/ for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-1000}
duration=${2:-10s}
connections=${3:-32}
cache_mb=${CACHE_MB:-16}
response_cache_mb=${RESPONSE_CACHE_MB:-32}

if ! command -v wrk >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet
bin=./target/release/asean-graph

work=$(mktemp -d)
store=target/load-stores/scale-$scale
if [[ ! -d $store ]]; then
  mkdir -p target/load-stores
  $bin generate --scale "$scale" --output "$work/scale.json" >&2
  $bin --data "$store" import "$work/scale.json" >&2
fi

port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
server=
start() {
  $bin --data "$store" serve --listen "127.0.0.1:$port" --rate-limit 0 --max-in-flight 1024 \
    --cache-mb "$cache_mb" --response-cache-mb "$response_cache_mb" "$@" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base/health" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}
stop() {
  if [[ -n $server ]]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
cleanup() {
  stop
  rm -rf "$work"
  if [[ -z ${KEEP:-} ]]; then rm -rf "$store"; fi
}
trap cleanup EXIT

# One wrk script per query: POST its JSON body.
body() { python3 -c 'import json,sys; print(json.dumps({"query": open(sys.argv[1]).read()}))' "$1"; }
for q in benches/queries/*.graphql; do
  name=$(basename "$q" .graphql)
  body "$q" >"$work/$name.json"
  cat >"$work/$name.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$name.json"); wrk.body = f:read("*a"); f:close()
EOF
done

# The ceiling's body: the product question's answer itself, so both have the same size.
start
curl -fsS -H 'Content-Type: application/json' --data @"$work/product-question.json" \
  "$base/graphql" >"$work/static.json"
stop
start --static-json "$work/static.json"

# wrk's summary → "requests/s p50 p99" (latencies in ms).
measure() {
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { if (bad) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

printf '# scale %s, wrk -t2 -c%s -d%s, sled cache %s MiB, response cache %s MiB, %s cores\n\n' \
  "$scale" "$connections" "$duration" "$cache_mb" "$response_cache_mb" "$(nproc)"
printf '| endpoint | bytes | requests/s | p50 ms | p99 ms | vs ceiling |\n|---|---:|---:|---:|---:|---:|\n'
read -r ceiling p50 p99 < <(measure "$base/static.json")
printf '| GET /static.json (ceiling) | %s | %s | %s | %s | 1.00 |\n' \
  "$(wc -c <"$work/static.json")" "$ceiling" "$p50" "$p99"
for q in benches/queries/*.graphql; do
  name=$(basename "$q" .graphql)
  bytes=$(curl -fsS -H 'Content-Type: application/json' --data @"$work/$name.json" "$base/graphql" | wc -c)
  read -r rps p50 p99 < <(measure -s "$work/$name.lua" "$base/graphql")
  printf '| POST %s | %s | %s | %s | %s | %s |\n' "$name" "$bytes" "$rps" "$p50" "$p99" \
    "$(python3 -c "print(f'{$rps / $ceiling:.2f}')")"
done
printf '\nserver peak resident memory: %s MiB\n' \
  "$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status")"
