# Chatframe — `make studio` launches the studio, `make test` runs every suite.
# Both install what a fresh machine lacks (Debian packages, npm packages) and are idempotent.

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/chatframe-target
export CARGO_TERM_COLOR ?= never
export CARGO_INCREMENTAL ?= 0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := $(CARGO_TARGET_DIR)/debug

# Debian packages the tests and tools need. Fragments in mk/ may add to these lists.
APT_PACKAGES := ffmpeg espeak-ng pkg-config sox
APT_PACKAGES += flite
# Extra suites contributed by mk/*.mk (each a make target).
TEST_TARGETS :=
# What must exist before the binaries are built (mk/studio.mk adds the built UI the app embeds).
BUILD_PREREQS :=

-include mk/*.mk

.PHONY: all deps test studio test-lint test-rust test-layering test-generated bench accept-goldens build-all

all: test

## Install missing Debian packages (only those not yet installed, so re-runs are instant).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: deps test-lint test-rust test-layering test-generated $(TEST_TARGETS)
	@echo "make test: all suites passed"

test-lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

test-rust:
	cargo test --workspace --locked

## Every binary (chatframe, chatframe-api, chatframe-server, chatframe-studio) in one build with
## the test suite's feature set. `cargo build -p X` or `cargo run -p X` alone resolves features
## for X only and recompiles much of the dependency tree (minutes on CI), so every suite below
## runs these binaries. A no-op after test-rust.
build-all: $(BUILD_PREREQS)
	cargo build -q --workspace --bins --tests --locked

## Core crates must not pull in GUI, web-framework or HTTP-client dependencies (DESIGN.md §1).
test-layering:
	bash scripts/check-layering.sh

## Generated files (JSON Schema, ...) must match the code that generates them.
test-generated: build-all
	$(BIN)/chatframe schema > $(CARGO_TARGET_DIR)/project.schema.json
	diff -u docs/project.schema.json $(CARGO_TARGET_DIR)/project.schema.json || \
	  { echo "docs/project.schema.json is stale: run 'cargo run -p chatframe-cli -- schema > docs/project.schema.json'"; exit 1; }

## Re-render the golden images after an intended visual change (review the diff before committing).
accept-goldens:
	CHATFRAME_ACCEPT_GOLDENS=1 cargo test -p chatframe-render --test render -- goldens

bench: deps
	cargo bench -p chatframe-render
	bash scripts/bench-export.sh

## Installs what is missing, builds the UI and the desktop app, and opens it (mk/studio.mk).
studio: studio-app
