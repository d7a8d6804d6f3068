#!/usr/bin/env bash
# Export speed against the encode-only floor (`chatframe render bench-party` must take
# ≤ 1.25× the time ffmpeg needs to encode the very same frames from memory).
#   (a) floor:  `chatframe bench-encode` pre-renders every frame (converted to yuv420p) into
#               memory, then times only ffmpeg encoding them with the export's exact arguments
#               and the same soundtrack;
#   (b) render: wall-clock time of the whole `chatframe render PROJECT -o out.mp4` process.
# Each is the best of RUNS runs. Usage: scripts/bench-export.sh [PROJECT], on the release binary
# of `make build-release` (`make bench` does both; CHATFRAME_BIN=path names another).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
bin=${CHATFRAME_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/chatframe-target}/release/chatframe}
[ -x "$bin" ] || { echo "$bin is missing: run make build-release (or make bench)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project=${1:-assets/bench/bench-party.chatframe.json}
if [ ! -f "$project" ]; then
  echo "($project missing: benchmarking a starter project instead)"
  project=$work/starter.chatframe.json
  "$bin" new "$project" >/dev/null 2>&1
fi

floor=$("$bin" bench-encode "$project" --runs "$RUNS")
floor_s=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["encodeSeconds"])' "$floor")
frames=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["frames"])' "$floor")

best=""
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$bin" render "$project" -o "$work/out.mp4" 2>/dev/null
  end=$(date +%s.%N)
  t=$(python3 -c "print($end - $start)")
  best=$(python3 -c "print(min(float('$t'), float('${best:-inf}')))")
done

python3 - "$project" "$frames" "$floor_s" "$best" <<'PY'
import sys
project, frames, floor, render = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"project:            {project} ({frames} frames)")
print(f"encode-only floor:  {floor:.3f} s ({frames / floor:.0f} frames/s)")
print(f"chatframe render:   {render:.3f} s ({frames / render:.0f} frames/s)")
print(f"ratio:              {render / floor:.3f}x (target <= 1.25x)")
PY
