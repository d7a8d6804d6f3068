# Cloud API (crates/server): Debian tools its engines and suites use, and the Python suites
# (Standard Webhooks verification, schemathesis) run against the real server on loopback.
# Uses from the Makefile: deps, build-all, SERVER_BIN. docs/openapi.json is one of the files
# `make check-generated` checks.

APT_PACKAGES += espeak-ng ffmpeg python3-venv wrk curl
TEST_TARGETS += test-server-py

SERVER_VENV := $(HOME)/.cache/chatframe-venv
SERVER_PY_REQS := crates/server/tests/py/requirements.txt
SERVER_PY_STAMP := $(SERVER_VENV)/.chatframe-server-$(shell sha256sum $(SERVER_PY_REQS) 2>/dev/null | cut -c1-12)

.PHONY: test-server-py bench-server

# Re-installs only when requirements.txt changes (the stamp carries its hash).
$(SERVER_PY_STAMP): $(SERVER_PY_REQS)
	@[ -x $(SERVER_VENV)/bin/python ] || python3 -m venv $(SERVER_VENV)
	$(SERVER_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $(SERVER_PY_REQS)
	@touch $@

test-server-py: deps $(SERVER_PY_STAMP) build-all
	CHATFRAME_SERVER_BIN=$(SERVER_BIN) $(SERVER_VENV)/bin/python -m pytest -q -p no:cacheprovider crates/server/tests/py

## Throughput of the Cloud API (wrk on loopback); see docs/BENCHMARKS.md.
bench-server: deps build-all
	CHATFRAME_SERVER_BIN=$(SERVER_BIN) bash scripts/bench-server.sh
