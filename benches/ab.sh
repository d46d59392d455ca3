#!/usr/bin/env bash
# A/B over HTTP: two builds of the server (OLD, NEW) on copies of the same store, the same
# questions asked of each in turn under the same wrk settings, ROUNDS times, in one run (the
# machine is shared and noisy: compare within a run). Prints requests/s per round and the
# median ratio NEW ÷ OLD per question, and each server's peak resident memory. The cache of
# answers is off: every request executes.
#
#   benches/ab.sh OLD_BINARY NEW_BINARY [DURATION] [CONNECTIONS]   defaults: 5s 16
#
# Environment: ROUNDS (3), QUERIES (the files of benches/queries/ to ask, without .graphql;
# default: product-question meeting-page initiative-funders), DATA (a store directory to
# copy; default: a fresh store of the bundled dataset), OLD_DATA and NEW_DATA (one side's
# store, served in place rather than copied, instead of DATA; with the same binary on both
# sides, two scales side by side:
# OLD_DATA=SCALE_1_STORE NEW_DATA=SCALE_10000_STORE benches/ab.sh BIN BIN).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: benches/ab.sh OLD_BINARY NEW_BINARY [DURATION] [CONNECTIONS]}
new=${2:?usage: benches/ab.sh OLD_BINARY NEW_BINARY [DURATION] [CONNECTIONS]}
duration=${3:-5s}
connections=${4:-16}
rounds=${ROUNDS:-3}
queries=${QUERIES:-product-question meeting-page initiative-funders}

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

declare -A port pid
for side in old new; do
  bin=${!side}
  own=${side^^}_DATA
  dir=$work/$side
  if [[ -n ${!own:-} ]]; then dir=${!own}; elif [[ -n ${DATA:-} ]]; then cp -r "$DATA" "$dir"; fi
  port[$side]=$((20000 + RANDOM % 20000))
  "$bin" --data "$dir" serve --listen "127.0.0.1:${port[$side]}" --rate-limit 0 \
    --response-cache-mb 0 --max-in-flight 1024 >"$work/$side.log" 2>&1 &
  pids+=($!)
  pid[$side]=$!
done
for side in old new; do
  for _ in $(seq 1 900); do # up to 3 minutes: a large store takes a while to open
    curl -fsS "http://127.0.0.1:${port[$side]}/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
done

for q in $queries; do
  python3 -c 'import json,sys; print(json.dumps({"query": open(sys.argv[1]).read()}))' \
    "benches/queries/$q.graphql" >"$work/$q.json"
  cat >"$work/$q.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$q.json"); wrk.body = f:read("*a"); f:close()
LUA
done

printf '| round | question | old req/s | new req/s | new ÷ old |\n|---|---|---|---|---|\n'
declare -A ratios
for round in $(seq 1 "$rounds"); do
  for q in $queries; do
    declare -A rps
    for side in old new; do
      rps[$side]=$(wrk -t2 -c"$connections" -d"$duration" -s "$work/$q.lua" \
        "http://127.0.0.1:${port[$side]}/graphql" | awk '/Requests\/sec/{print $2}')
    done
    ratio=$(python3 -c "print(f'{${rps[new]} / ${rps[old]}:.2f}')")
    ratios[$q]="${ratios[$q]:-} $ratio"
    printf '| %s | %s | %.0f | %.0f | %s |\n' "$round" "$q" "${rps[old]}" "${rps[new]}" "$ratio"
  done
done
echo
for q in $queries; do
  median=$(python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" ${ratios[$q]})
  echo "median new ÷ old, $q: $median"
done
for side in old new; do
  echo "peak resident memory, $side: $(awk '/VmHWM/{printf "%.0f MiB", $2 / 1024}' "/proc/${pid[$side]}/status")"
done
