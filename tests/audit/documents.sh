#!/usr/bin/env bash
# The documented GraphQL stays valid for client tooling, checked against the committed
# schema.graphql with no server: every ```graphql block of README.md and docs/*.md, and
# every reports/*.graphql and benches/queries/*.graphql, must pass graphql-inspector's
# `validate` and compile under GraphQL Code Generator as docs/caching.md sets it up
# (`typescript-operations` alone, into one file), which also requires every operation
# named, no name twice; the generated file must then compile under `tsc --strict`. Needs
# `npm ci` in .ci/js first.
# Blocks fenced ```graphql-federation (the subgraph's `_entities`/`_service`, which
# schema.graphql lacks) or ```graphql-supergraph (a query through a gateway) are left out on
# purpose: the integration test `subgraph` runs the first against the served schema, and
# tests/federation/gateway.mjs runs the second through a real gateway.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/.ci/js/node_modules/.bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/documents"

# extract MARKDOWN: each ```graphql block into documents/, named after its file and the line
# of its fence (README.md-line74.graphql) so that a finding points at its source.
extract() {
  awk -v out="$work/documents" -v name="${1//\//_}" '
    /^```graphql[[:space:]]*$/ { file = sprintf("%s/%s-line%d.graphql", out, name, NR); open = 1; next }
    open && /^```/ { open = 0; close(file); next }
    open { print > file }
  ' "$1"
}
for md in README.md docs/*.md; do extract "$md"; done
for file in reports/*.graphql benches/queries/*.graphql; do cp "$file" "$work/documents/${file//\//_}"; done
count=$(find "$work/documents" -name '*.graphql' | wc -l)
echo "$count documents"
# No document found would validate nothing and pass.
if [ "$count" -eq 0 ]; then
  echo "documents: none found in README.md, docs/, reports/ and benches/queries/" >&2
  exit 1
fi

echo "-- graphql-inspector validate"
"$bin/graphql-inspector" validate "$work/documents/*.graphql" schema.graphql

echo "-- GraphQL Code Generator (typescript-operations), then tsc --strict"
# Codegen validates the documents as one set: an anonymous operation ("must be the only
# defined operation") or a name used twice ("Not all operations have an unique name") fails.
cat >"$work/codegen.json" <<JSON
{
  "schema": "$PWD/schema.graphql",
  "documents": "$work/documents/*.graphql",
  "generates": {
    "$work/generated/operations.ts": { "plugins": ["typescript-operations"] }
  }
}
JSON
# The plugins resolve from the working directory's node_modules.
(cd .ci/js && "$bin/graphql-codegen" --config "$work/codegen.json")
test -s "$work/generated/operations.ts"
# The file a team starts from compiles: `typescript` and `typescript-operations` together
# into one file would declare each enum twice (TS2567).
"$bin/tsc" --strict --noEmit --target es2022 --module esnext --moduleResolution bundler \
  "$work/generated/operations.ts"
echo "documents: all $count valid"
