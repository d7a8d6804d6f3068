#!/usr/bin/env bash
# Studio app benchmarks (docs/BENCHMARKS.md, "Studio app"), on RELEASE builds:
#   - ui/tests/e2e/bench.mjs in Debian's Chromium over the release `chatframe-api`;
#   - ui/tests/e2e/bench-app.mjs in the real desktop app (release `chatframe-studio`, WebKitGTK)
#     under Xvfb via tauri-driver + WebKitWebDriver.
# Prints Markdown rows and the load average before and after (the figures depend on it).
# CARGO_TARGET_DIR defaults to ~/.cache/cf-target-release; SKIP_BUILD=1 uses what is built.
# The UI must be built first (make ui-build): the app embeds ui/dist when it is compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${BENCH_TARGET_DIR:-$HOME/.cache/cf-target-release}
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build -q --release --locked -p chatframe-app -p chatframe-api
fi
bin=$CARGO_TARGET_DIR/release
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "| what | figure | detail | target |"
echo "| --- | --- | --- | --- |"
(cd ui && CHATFRAME_API_BIN=$bin/chatframe-api node tests/e2e/bench.mjs)
(cd ui && CHATFRAME_APP_BIN=$bin/chatframe-studio node tests/e2e/bench-app.mjs)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
