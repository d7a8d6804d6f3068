# Chatframe — `make studio` launches the studio, `make test` runs every suite.
# Both install what a fresh machine lacks (Debian packages, npm packages) and are idempotent.

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/chatframe-target
export CARGO_TERM_COLOR ?= never
export CARGO_INCREMENTAL ?= 0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The binaries `build-all` makes; every suite, benchmark and launcher runs these.
BIN := $(CARGO_TARGET_DIR)/debug
APP_BIN := $(BIN)/chatframe-studio
API_BIN := $(BIN)/chatframe-api
SERVER_BIN := $(BIN)/chatframe-server

# Debian packages the tests and tools need. Fragments in mk/ add to these lists and use the
# targets and variables of this file (deps, build-all, the *_BIN paths, cargo-tool); none uses
# another fragment's.
APT_PACKAGES := ffmpeg espeak-ng pkg-config sox
APT_PACKAGES += flite
# Extra suites contributed by mk/*.mk (each a make target).
TEST_TARGETS :=
# What must exist before the binaries are built (mk/studio.mk adds the built UI the app embeds).
BUILD_PREREQS :=
# Every suite builds, lints and tests the full feature set: `chatframe` with the Cloud API, the
# local API and sound (its default build is headless; scripts/check-layering.sh checks that).
FEATURES := --features chatframe/serve,chatframe/playback

-include mk/*.mk

.PHONY: all deps install test studio test-lint test-manifest test-rust test-layering check-generated regenerate \
  bench accept-goldens build-all build-release tauri-driver

## Runs `cargo install --locked` for a tool only when it is missing: $(call cargo-tool,NAME,VERSION).
cargo-tool = command -v $(1) >/dev/null || cargo install --locked $(1) --version '$(2)'

## WebDriver for the real app (the studio's end-to-end suites, screenshots, benchmarks).
tauri-driver:
	@$(call cargo-tool,tauri-driver,^2)

all: test

## Install missing Debian packages (only those not yet installed, so re-runs are instant).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: deps test-lint test-manifest test-rust test-layering check-generated $(TEST_TARGETS)
	@echo "make test: all suites passed"

test-lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked $(FEATURES) -- -D warnings

## The manifests: sorted and formatted (cargo-sort, ~40 s to install cold), every dependency in the
## root table and used (scripts/check-manifest.py), so the next appended dependency fails here.
test-manifest:
	@$(call cargo-tool,cargo-sort,2.1.4)
	cargo sort --workspace --grouped --check --check-format
	python3 scripts/check-manifest.py

test-rust:
	cargo test --workspace --locked $(FEATURES)

## Every binary (chatframe, chatframe-api, chatframe-server, chatframe-studio) in one build with
## the test suite's feature set. `cargo build -p X` or `cargo run -p X` alone resolves features
## for X only and recompiles much of the dependency tree (minutes on CI), so every suite below
## runs these binaries. A no-op after test-rust.
build-all: $(BUILD_PREREQS)
	cargo build -q --workspace --bins --tests --locked $(FEATURES)

## Every "must not depend on" of docs/ARCHITECTURE.md's crate table, and the headless default builds.
test-layering:
	bash scripts/check-layering.sh

## Generated files must match the code that generates them: the project JSON Schema, the UI's
## TypeScript bindings and the OpenAPI document (scripts/generated.sh lists them).
check-generated: build-all
	bash scripts/generated.sh check $(BIN)

## Rewrites every generated file from the code.
regenerate: build-all
	bash scripts/generated.sh write $(BIN)

## Release builds of every binary with the same feature set, for the benchmarks.
build-release: $(BUILD_PREREQS)
	cargo build -q --release --workspace --bins --locked $(FEATURES)

## Re-render the golden images after an intended visual change (review the diff before committing).
accept-goldens:
	CHATFRAME_ACCEPT_GOLDENS=1 cargo test --workspace --locked $(FEATURES) --test render -- goldens

bench: deps build-release
	cargo bench -p chatframe-render
	CHATFRAME_BIN=$(CARGO_TARGET_DIR)/release/chatframe bash scripts/bench-export.sh

## Installs what is missing, builds the UI and the desktop app, and opens it (mk/studio.mk).
studio: studio-app

## Installs the `chatframe` command into $(PREFIX)/bin (default ~/.local/bin, on PATH in most
## desktop sessions): a release build of the one binary.
PREFIX ?= $(HOME)/.local
install: deps
	cargo build --release --locked -p chatframe $(FEATURES)
	install -D -m 755 $(CARGO_TARGET_DIR)/release/chatframe $(PREFIX)/bin/chatframe
	@echo "installed $(PREFIX)/bin/chatframe"; case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "note: $(PREFIX)/bin is not on your PATH; add it, or run $(PREFIX)/bin/chatframe";; esac
