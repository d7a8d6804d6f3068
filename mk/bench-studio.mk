# Studio app benchmarks (not a test: not in TEST_TARGETS). Release builds of the desktop app and
# `chatframe-api` in their own target dir; figures go to docs/BENCHMARKS.md, "Studio app".

.PHONY: bench-studio

## Edit → frame, scrubbing, frame transport, cold start and the 5,000-message open, measured in
## the real app (WebKitGTK under Xvfb, WebDriver) and in Chromium (scripts/bench-studio.sh).
bench-studio: deps ui-build
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked
	BENCH_TARGET_DIR=$(HOME)/.cache/cf-target-release bash scripts/bench-studio.sh
