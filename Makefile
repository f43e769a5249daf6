# Spanmark — every target installs what it needs first, so a fresh machine needs only `make serve` or `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION     := 0.21.14
BINARYEN_VERSION  := 132.0.0
AXE_CORE_VERSION  := 4.14.1
RECOGITO_VERSION  := 4.1.1
POUCHDB_SERVER_VERSION := 4.2.0
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_RUNS ?= 1000000
FUZZ_TARGETS := native text brat conll iob2 doccano label_studio spacy w3c zip open_files
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
TOOLS := $(CURDIR)/.tools
SUDO  := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PATH := $(TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# Where `make serve` passes /couchdb/ on to (a team server: `make team-server`, or a CouchDB).
SPANMARK_COUCHDB ?= http://127.0.0.1:5984/

.PHONY: help setup setup-rust setup-tools setup-chromium setup-fuzz serve dist test lint bench fuzz fmt clippy team-server

help:
	@echo "make serve   build and serve Spanmark on http://127.0.0.1:8080 (installs what is missing)"
	@echo "make test    check formatting and lints, then run every test: host, in-browser (wasm) and end-to-end (installs what is missing)"
	@echo "make dist    release build into dist/"
	@echo "make bench   measure and rewrite BENCHMARKS.md"
	@echo "make team-server  a local team server (pouchdb-server, in memory) with a project; needs SPANMARK_ADMIN and SPANMARK_ADMIN_PASSWORD"
	@echo "make fuzz    fuzz every importer for FUZZ_RUNS inputs each (default 1000000) and rewrite docs/FUZZING.md"

setup: setup-rust setup-tools setup-chromium

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy

setup-tools: setup-rust
	@grep -q 'wasm_bindgen = "$(WASM_BINDGEN_VERSION)"' Trunk.toml || \
	  { echo "Trunk.toml [tools] wasm_bindgen must be $(WASM_BINDGEN_VERSION), the version in Cargo.lock"; exit 1; }
	@trunk --version 2>/dev/null | grep -qx "trunk $(TRUNK_VERSION)" || cargo install --locked trunk --version $(TRUNK_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $(WASM_BINDGEN_VERSION)" || \
	  cargo install --force wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@"$(TOOLS)/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version 132" || \
	  npm install --no-audit --no-fund --prefix "$(TOOLS)" binaryen@$(BINARYEN_VERSION)
	@node -p 'require("$(TOOLS)/node_modules/axe-core/package.json").version' 2>/dev/null | grep -qx "$(AXE_CORE_VERSION)" || \
	  npm install --no-audit --no-fund --prefix "$(TOOLS)" axe-core@$(AXE_CORE_VERSION)
	@# The peer of the side-by-side benchmark (tests/e2e/bench/peer.rs): its prebuilt browser bundle.
	@node -p 'require("$(TOOLS)/node_modules/@recogito/text-annotator/package.json").version' 2>/dev/null | grep -qx "$(RECOGITO_VERSION)" || \
	  npm install --no-audit --no-fund --prefix "$(TOOLS)" @recogito/text-annotator@$(RECOGITO_VERSION)
	@# The team server of the tests and of `make team-server` (CouchDB's HTTP API); in memory, so
	@# no install script (a native LevelDB build) is needed.
	@node -p 'require("$(TOOLS)/node_modules/pouchdb-server/package.json").version' 2>/dev/null | grep -qx "$(POUCHDB_SERVER_VERSION)" || \
	  npm install --no-audit --no-fund --ignore-scripts --prefix "$(TOOLS)" pouchdb-server@$(POUCHDB_SERVER_VERSION)
	@cargo fetch --locked

setup-chromium:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver fonts-noto-color-emoji fonts-noto-cjk; }

# /couchdb/ goes to SPANMARK_COUCHDB, so that the app reaches a team server on its own origin.
serve: setup-tools
	trunk serve --proxy-backend="$(SPANMARK_COUCHDB)" --proxy-rewrite=/couchdb/

team-server: setup-tools
	cargo build --release --locked --bin spanmark
	./scripts/team-server.sh

dist: setup-tools
	trunk build --release --dist dist

# A whole run from scratch gains nothing from incremental caches, which would be a third of what
# it writes into target/ (a development loop of `cargo` commands keeps them).
test: export CARGO_INCREMENTAL := 0
test: setup lint dist
	cargo test --workspace --locked
	cargo test --locked --target wasm32-unknown-unknown --test storage --test crash

# Formatting and clippy (with the workspace lints: no unwrap, expect or panic outside tests).
lint: setup-rust
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p spanmark --target wasm32-unknown-unknown --locked --lib --bins --tests -- -D warnings

bench: setup dist
	./scripts/bench-size.sh dist
	cargo bench --locked --bench core > target/bench/host.md
	cargo test --locked --test e2e bench:: -- --ignored --nocapture --test-threads=1
	cargo test --locked -p spanmark-cli --test team_load -- --ignored --nocapture
	./scripts/bench-report.sh

setup-fuzz:
	@cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $(CARGO_FUZZ_VERSION)" || \
	  cargo install --locked cargo-fuzz --version $(CARGO_FUZZ_VERSION)

# Every target runs even when one crashes; the report says which, and the target fails.
fuzz: setup-fuzz
	RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none --debug-assertions
	rm -rf target/fuzz
	@status=0; for t in $(FUZZ_TARGETS); do ./scripts/fuzz-run.sh $$t $(FUZZ_RUNS) || status=1; done; \
	  ./scripts/fuzz-report.sh $(FUZZ_RUNS); exit $$status

fmt:
	cargo fmt --all

clippy:
	cargo clippy --workspace --all-targets -- -D warnings
