#!/usr/bin/env bash
# Studio app benchmarks (docs/BENCHMARKS.md, "Studio app"), on RELEASE builds:
#   - ui/tests/e2e/bench.mjs in Debian's Chromium over the release `chatframe-api`;
#   - ui/tests/e2e/bench-app.mjs in the real desktop app (release `chatframe-studio`, WebKitGTK)
#     under Xvfb via tauri-driver + WebKitWebDriver.
# Prints Markdown rows and the load average before and after (the figures depend on it).
# Runs the binaries `make build-release` built (`make bench-studio` does both); building one
# package here would resolve its features alone and recompile half the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CHATFRAME_BIN_DIR:-${CARGO_TARGET_DIR:-$HOME/.cache/chatframe-target}/release}
for b in chatframe-api chatframe-studio; do
  [ -x "$bin/$b" ] || { echo "$bin/$b is missing: run make build-release (or make bench-studio)" >&2; exit 1; }
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "| what | figure | detail | target |"
echo "| --- | --- | --- | --- |"
(cd ui && CHATFRAME_API_BIN=$bin/chatframe-api node tests/e2e/bench.mjs)
(cd ui && CHATFRAME_APP_BIN=$bin/chatframe-studio node tests/e2e/bench-app.mjs)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
