#!/usr/bin/env bash
# The generated files, each printed by a built binary (`make build-all`):
#   scripts/generated.sh check BIN_DIR   fails naming every stale file (with its diff)
#   scripts/generated.sh write BIN_DIR   rewrites them (`make regenerate`)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1 bin=$2
generated=(
  "docs/project.schema.json|chatframe schema"
  "ui/src/lib/bindings/api.ts|chatframe-api bindings"
  "docs/openapi.json|chatframe-server openapi"
)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
stale=()
for entry in "${generated[@]}"; do
  file=${entry%%|*}
  read -r -a command <<<"${entry#*|}"
  "$bin/${command[0]}" "${command[@]:1}" >"$out"
  if [ "$mode" = write ]; then
    cp "$out" "$file"
  elif ! cmp -s "$file" "$out"; then
    diff -u "$file" "$out" | head -40 || true
    stale+=("$file")
  fi
done
if [ ${#stale[@]} -gt 0 ]; then
  echo "generated files are stale: ${stale[*]}; run 'make regenerate' and commit the result"
  exit 1
fi
if [ "$mode" = write ]; then echo "generated files: written"; else echo "generated files: up to date"; fi
