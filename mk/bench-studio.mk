# Studio app benchmarks (not a test: not in TEST_TARGETS), on the release binaries of
# `make build-release`; figures go to docs/BENCHMARKS.md, "Studio app".
# Uses from the Makefile: deps, build-release, tauri-driver.

.PHONY: bench-studio

## Edit → frame, scrubbing, frame transport, cold start and the 5,000-message open, measured in
## the real app (WebKitGTK under Xvfb, WebDriver) and in Chromium (scripts/bench-studio.sh).
bench-studio: deps build-release tauri-driver
	CHATFRAME_BIN_DIR=$(CARGO_TARGET_DIR)/release bash scripts/bench-studio.sh
