#!/usr/bin/env bash
# Schemathesis (GraphQL mode: schema by introspection, queries generated from it) against a
# running server, bounded in time, as a CI step:
#
#   tests/audit/schemathesis.sh http://127.0.0.1:8123 EDITOR_SECRET
#
# Two passes over /graphql: Query.* without a token, then Mutation.* with
# `Authorization: Bearer EDITOR_SECRET`, so point it only at a throwaway store, started with
# `--rate-limit 0` (else the run is mostly 429s). The one check is no_server_error
# (schemathesis_hooks.py): any 5xx or any error with extensions.code INTERNAL fails; 4xx and
# other codes are correct answers to random input. The server must still answer /health after.
# Half the String/ID arguments are codes from data/asean.json (schemathesis_dictionary.py).
# Exit 0 only if both passes ran clean; the last line is the summary.
#
# Environment: SCHEMATHESIS  the command (default: schemathesis on PATH; .ci/run uses a venv
#                            built from .ci/py/requirements.txt)
#              ST_SECONDS    time budget of each pass (default 55: the step takes ~2 minutes)
#              ST_WORKERS    concurrent requests (default 2)
#              ST_SEED       replay a run (schemathesis prints its seed)
#              ST_REPORT_DIR keep the JSON reports there (default: a temp dir, removed)
set -euo pipefail

if [ $# -ne 2 ] || [ -z "$2" ]; then
  echo "usage: $0 BASE_URL EDITOR_TOKEN   (e.g. http://127.0.0.1:8123 s3cret-of-16-chars)" >&2
  exit 2
fi
base=${1%/}
token=$2
st=${SCHEMATHESIS:-schemathesis}
# Made absolute: the passes run in a temp dir.
case $st in */*) st="$(cd "$(dirname "$st")" && pwd)/$(basename "$st")" ;; esac
command -v "$st" >/dev/null || { echo "schemathesis not found: $st (set SCHEMATHESIS)" >&2; exit 2; }
seconds=${ST_SECONDS:-55}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reports=${ST_REPORT_DIR:-$work}
mkdir -p "$reports"
export SCHEMATHESIS_HOOKS="$here/schemathesis_hooks.py"
# Real codes from the bundled dataset (the throwaway store's content) as a fuzz dictionary.
python3 "$here/schemathesis_dictionary.py" "$here/../../data/asean.json" "$work/schemathesis.toml"

# One pass over the root fields matching $2; the rest of the arguments go to schemathesis.
pass() {
  local name=$1 fields=$2
  shift 2
  printf '\n-- schemathesis: %s fields\n' "$name"
  rm -f "$reports/$name.json" # a report left by an earlier run must not stand in for this one
  # Run in $work: schemathesis leaves .hypothesis/ and .schemathesis/ in the current directory.
  (cd "$work" && "$st" --config-file "$work/schemathesis.toml" run "$base/graphql" \
    --checks no_server_error \
    --include-name-regex "$fields" \
    --max-time "$seconds" \
    --workers "${ST_WORKERS:-2}" \
    --request-timeout 20 \
    --generation-database none \
    ${ST_SEED:+--seed "$ST_SEED"} \
    --no-color \
    --report json --report-json-path "$reports/$name.json" \
    "$@") || true # the verdict is taken from the reports below
}

# A refused token would turn every mutation into UNAUTHENTICATED, which passes the check but
# tests nothing: make sure the token writes. Deleting a member that does not exist is NOT_FOUND.
probe=$(curl -sS --max-time 10 -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d '{"query":"mutation { deleteMember(code: \"ZZZ-NO-SUCH\") }"}' "$base/graphql" 2>&1 || true)
if ! grep -q '"NOT_FOUND"' <<<"$probe"; then
  echo "the editor token does not write on $base (expected NOT_FOUND): $probe" >&2
  exit 1
fi

start=$SECONDS
pass Query '^Query\.'
pass Mutation '^Mutation\.' --header "Authorization: Bearer $token"

health=up
curl -fsS --max-time 5 "$base/health" >/dev/null 2>&1 || health=DOWN

# The summary and the verdict, from both JSON reports: a missing report is a failed pass.
python3 - "$reports" "$health" "$((SECONDS - start))" <<'PY'
import json, os, sys

reports, health, elapsed = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = failures = errors = 0
parts, bad = [], health != "up"
for name in ("Query", "Mutation"):
    path = os.path.join(reports, f"{name}.json")
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{name}: no report ({e})")
        bad = True
        continue
    tc = r["test_cases"]
    n_fail = tc["unique_failures"]
    n_err = tc["errored"] + len(r.get("errors") or [])
    cases, failures, errors = cases + tc["generated"], failures + n_fail, errors + n_err
    parts.append(f'{name} {tc["generated"]} cases/{r["operations"]["tested"]} fields')
    # A pass that tested nothing (time spent before fuzzing, a filter matching no field) proves nothing.
    bad |= r["exit_code"] != 0 or n_fail > 0 or n_err > 0 or tc["generated"] == 0
verdict = "FAIL" if bad else "PASS"
print(f"schemathesis {verdict}: {cases} cases ({', '.join(parts)}), {failures} failures, "
      f"{errors} errors, server {health}, {elapsed}s")
sys.exit(1 if bad else 0)
PY
