# Crash safety of the studio app. The API level (100 kill -9s of the real `chatframe-api` during
# a scripted HTTP editing run) is a Rust integration test, crates/api/tests/crash.rs, run by
# test-rust. This target is the real desktop app: keyboard edits, "Saved", kill -9, relaunch.
# Uses from the Makefile: deps, build-all, tauri-driver, APP_BIN.

TEST_TARGETS += test-studio-crash

.PHONY: test-studio-crash

test-studio-crash: deps build-all tauri-driver
	cd ui && CHATFRAME_APP_BIN=$(APP_BIN) node tests/e2e/webdriver-crash.mjs
