# nnplay: `make run` builds and serves the page; `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
PORT ?= 8080
JOBS ?= $(shell nproc)
export NNPLAY_CACHE ?= $(HOME)/.cache/nnplay
export NODE_PATH := /usr/share/nodejs
NATIVE := build/native
WASM := build/wasm
CMAKE_COMMON := -DNNPLAY_CACHE=$(NNPLAY_CACHE) -DCMAKE_BUILD_TYPE=Release

.PHONY: all run serve dist wasm-configure test test-native test-wasm test-e2e test-fuzz bench deps-native deps-web deps-test deps-bench native wasm clean

all: dist

deps-native: ; @bash tools/deps.sh native >/dev/null
deps-web:    ; @bash tools/deps.sh web >/dev/null
deps-test:   ; @bash tools/deps.sh test >/dev/null
deps-bench:  ; @bash tools/deps.sh bench >/dev/null

native: deps-native
	@mkdir -p build
	@cmake -S . -B $(NATIVE) $(CMAKE_COMMON) >$(NATIVE).configure.log 2>&1 || (mkdir -p build; cmake -S . -B $(NATIVE) $(CMAKE_COMMON))
	cmake --build $(NATIVE) -j$(JOBS)

wasm-configure: deps-web
	@mkdir -p build
	@emcmake cmake -S . -B $(WASM) $(CMAKE_COMMON) >build/wasm.configure.log 2>&1 || (cat build/wasm.configure.log; exit 1)

wasm: wasm-configure
	cmake --build $(WASM) -j$(JOBS)

dist: wasm-configure
	cmake --build $(WASM) -j$(JOBS) --target nnplay_page
	@echo "dist/ is ready: serve it with any static file host"

run: dist
	@bash tools/serve.sh dist $(PORT)

serve:
	@bash tools/serve.sh dist $(PORT)

test: deps-test
	@bash tests/run_all.sh

bench: deps-bench wasm
	node bench/run.mjs

clean:
	rm -rf build dist
