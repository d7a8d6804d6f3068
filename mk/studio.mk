# The studio app: ui/ (Svelte + Vite), src-tauri/ (Tauri 2 shell), crates/api (local
# automation API). `make studio-app` builds the UI and the app and launches it; `test-ui` runs the
# UI's unit tests and Playwright (Debian's Chromium) against the UI served by `chatframe-api`.
# Uses from the Makefile: deps, build-all, tauri-driver, check-generated (the UI's bindings are
# one of its files), APP_BIN, API_BIN.

APT_PACKAGES += libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libasound2-dev \
  xvfb webkit2gtk-driver chromium ffmpeg
TEST_TARGETS += test-ui test-studio-e2e
# The app embeds ui/dist when it is compiled, so the UI is built before the binaries.
BUILD_PREREQS += ui-build

UI_LOCK := ui/package-lock.json
# npm install only when the lock file changes (the stamp carries its hash), so re-runs are instant.
# Not `npm ci`: npm 11 leaves other platforms' optional packages (rollup's native builds) out of
# the lock, and `npm ci` then refuses the lock as out of sync; `npm install` keeps its versions.
UI_STAMP := ui/node_modules/.chatframe-$(shell sha256sum $(UI_LOCK) 2>/dev/null | cut -c1-12)

.PHONY: ui-deps ui-build test-ui studio-app test-studio-e2e screenshots-studio

$(UI_STAMP): $(UI_LOCK)
	cd ui && npm install --no-audit --no-fund --loglevel=error
	@touch $@

ui-deps: $(UI_STAMP)

ui-build: ui-deps
	cd ui && npx vite build --logLevel warn

test-ui: deps ui-deps check-generated
	cd ui && npx vitest run
	cd ui && npx svelte-check --tsconfig ./tsconfig.json --threshold error --output machine
	cd ui && CHATFRAME_API_BIN=$(API_BIN) node tests/e2e/playwright.mjs
	cd ui && CHATFRAME_API_BIN=$(API_BIN) node tests/e2e/glyphs.mjs
	cd ui && CHATFRAME_API_BIN=$(API_BIN) node tests/e2e/ui-behaviour.mjs

## Builds the UI and the desktop app (with every other binary: one feature set, one build),
## then opens it.
studio-app: deps build-all
	$(APP_BIN)

## WebDriver end-to-end against the real app under Xvfb (tauri-driver + WebKitWebDriver).
test-studio-e2e: deps build-all tauri-driver
	cd ui && CHATFRAME_APP_BIN=$(APP_BIN) node tests/e2e/webdriver.mjs
	cd ui && CHATFRAME_APP_BIN=$(APP_BIN) node tests/e2e/webdriver-ui.mjs

## Screenshots of the real app under Xvfb into docs/screenshots/.
screenshots-studio: deps build-all tauri-driver
	cd ui && CHATFRAME_APP_BIN=$(APP_BIN) CHATFRAME_SCREENSHOTS=../docs/screenshots node tests/e2e/webdriver.mjs
