# uringbench — the README's two commands: `make run` (the headline job) and `make test`.
# Both install what is missing first (Debian/Ubuntu packages, a Python venv for the tests; Swift
# packages resolve by URL). `make test-fast` runs the pure tests alone.

SWIFT     ?= swift
BIN       := .build/release/uringbench
APT_DEPS  := liburing-dev libaio-dev
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The commit and tree state that `uringbench --version` and every report carry. The GitBuildInfo
# plugin reads them from git itself before every build; these, when set, take precedence. Dirty
# means uncommitted changes under Sources/ or Plugins/, or in Package.swift. Outside a git
# checkout of this tree (a source tarball) both stay unset and the binary says "unknown".
ifeq ($(shell git rev-parse --show-toplevel 2>/dev/null),$(CURDIR))
export URINGBENCH_GIT_COMMIT := $(shell git rev-parse HEAD)
export URINGBENCH_GIT_DIRTY  := $(shell git status --porcelain -- Sources Plugins Package.swift | grep -q . && echo 1 || echo 0)
endif

.PHONY: all deps deps-bench build run test test-deps test-fast bench-vs-fio clean

all: build

# Installs the C libraries the engines link against, only when one is missing.
deps:
	@missing=""; for p in $(APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# fio and python3 for the side-by-side benchmark.
deps-bench: deps
	@command -v fio >/dev/null && command -v python3 >/dev/null || { \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fio python3; }

# The binary alone: the tests' shared fixtures (TestSupport) import the library @testable, which
# only debug builds allow. The Swift runtime is linked in where the toolchain has it static (as
# `make dist` does): the binary then starts in about half the CPU time, 4.0 ms instead of
# 7.1-7.5 for --version (perf stat, 2026-12-05), which every run and every compare round pays.
build: deps
	$(SWIFT) build -c release $(if $(wildcard $(SWIFT_STATIC)),--static-swift-stdlib) --product uringbench

# The headline job: 4 KiB O_DIRECT random reads, io_uring, 32 in flight, 10 s, on ./uringbench.dat
# (laid out on first use, 1 GiB). Pass ARGS to change it, e.g. make run ARGS="--engine libaio".
run: build
	$(BIN) randread --engine io_uring --iodepth 32 $(ARGS)

# What the tests run besides uringbench, so none of them skips on a fresh machine: chromium (the
# plots rendered headless), fio (its JSON and tools read ours), and a venv with fio-plot, pandas
# and six (fio-plot draws our files; fio's python tools, run by the venv's python3, import pandas
# and six). The tests find them on PATH.
TEST_APT_DEPS := chromium fio python3 python3-venv
TEST_VENV     := .venv-test
TEST_PY_DEPS  := fio-plot pandas six

test-deps: deps
	@missing=""; for p in $(TEST_APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@$(TEST_VENV)/bin/python -c 'import pandas, numpy, six' 2>/dev/null && [ -x $(TEST_VENV)/bin/fio-plot ] || { \
	  echo "installing $(TEST_PY_DEPS) into $(TEST_VENV)"; \
	  python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install -q $(TEST_PY_DEPS); }

# Every test, with the venv's python3 and fio-plot first on PATH; first, every relative link of
# the Markdown files must resolve.
test: test-deps
	python3 scripts/check_links.py
	$(SWIFT) build --build-tests
	PATH="$(CURDIR)/$(TEST_VENV)/bin:$$PATH" $(SWIFT) test --skip-build

# The pure tests alone, in seconds: no binary spawned, no devices, no network, no long runs.
test-fast: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter UringBenchUnitTests

# uringbench and fio on the same jobs, interleaved over rounds; prints median ratios.
bench-vs-fio: build deps-bench
	python3 scripts/bench_vs_fio.py $(ARGS)

# Each tool's own user-space CPU per IO: a short and a long run per round under perf, the slope
# apart from what a run costs once (scripts/loop_cost.py; docs/measurement.md).
.PHONY: bench-loop-cost
bench-loop-cost: build deps-bench
	@command -v perf >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf; }
	python3 scripts/loop_cost.py $(ARGS)

# The page-cache scenarios of docs/memory.md (random reads of a file 1.5x memory by mmap, buffered,
# uncached and O_DIRECT engines; buffered against uncached sequential writes) under a memory limit,
# 2G unless ARGS="--limit 4G"; results in results/memory-DATE-HOST/.
.PHONY: bench-memory
bench-memory: build
	scripts/bench_memory.sh $(ARGS)

# The job files of bench-configs/compat under fio and uringbench, interleaved: same options
# understood, IOPS and p50 ratios, bytes per IO (docs/fio-compat.md). ARGS="--examples DIR" also
# parses a directory of fio job files (e.g. fio's examples/) with both tools.
.PHONY: fio-compat
fio-compat: build deps-bench
	python3 scripts/fio_compat.py $(ARGS)

clean:
	rm -rf .build

# --- Comparing engines (uringbench compare / run / plot; see docs/compare.md) ---
.PHONY: compare baseline gate gate-check plot ci-compare

# The baseline's command: the four engines at QD32, 10 s per run, 5 interleaved rounds (the gate
# needs 5 rounds against a 3-round baseline, 4 against 4: see docs/compare.md).
BASELINE_CMD := compare --engines psync,libaio,io_uring,io_uring_sqpoll --iodepth 32 --runtime 10s --rounds 5
RESULTS ?= results/baseline.json
REPORT  ?= report.html

# Engines interleaved round by round on one file, one table. make compare ARGS="--iodepth 1,8,32"
compare: build
	$(BIN) compare $(ARGS)

# Re-measure results/baseline.json on this machine (about 2 minutes).
baseline: build
	$(BIN) $(BASELINE_CMD) --output results/baseline.json

# The gate against the committed baseline: exit 2 on a significant regression past the thresholds,
# 3 when there are too few rounds to tell (docs/compare.md).
gate: build
	$(BIN) $(BASELINE_CMD) --against results/baseline.json $(ARGS)

# The gate measured: 20 honest runs against a fresh baseline (false alarms) and 20 runs throttled
# to 85% of its IOPS (caught); libaio and io_uring, 5 rounds of 1 s. About 9 minutes.
gate-check: build deps-bench
	scripts/gate_check.sh

# HTML report of RESULTS (inline SVG), rendered to PNG when chromium is installed.
plot: build
	$(BIN) plot $(RESULTS) -o $(REPORT)
	@if command -v chromium >/dev/null; then scripts/render_plot.sh $(REPORT) $(REPORT:.html=.png); \
	else echo "chromium is not installed, no PNG (apt-get install -y chromium)"; fi

# CI: a short all-engines comparison (2 s per engine, 1 round), its Markdown table printed and
# added to the GitHub job summary when there is one. Never gates on timing: CI machines are noisy.
ci-compare: build
	$(BIN) compare --engines psync,libaio,io_uring,io_uring_sqpoll --iodepth 32 --runtime 2s --rounds 1 \
	  --size 256M --filename .build/ci-compare.dat --markdown > .build/ci-compare.md
	@cat .build/ci-compare.md
	@if [ -n "$${GITHUB_STEP_SUMMARY:-}" ]; then cat .build/ci-compare.md >> "$$GITHUB_STEP_SUMMARY"; fi

# ---- Network I/O models -----------------------------------------------------------------------
.PHONY: nio-echo bench-echo

# SwiftNIO's echo server, the `nio` baseline of `uringbench echo` (a nested package: the core
# build never pulls in NIO).
nio-echo:
	cd nio-echo && $(SWIFT) build -c release

# epoll vs io_uring vs io_uring_multishot vs nio, 64 and 512 B, 5 interleaved rounds, pinned
# server/client; the table goes to stdout and results/echo-<time>.txt. ARGS adds echo flags.
bench-echo: build nio-echo
	scripts/bench_echo.sh $(ARGS)

# ---- Shipping: one static binary, fleet runs (see docs/ship.md) ----------------------------------
.PHONY: dist dist-test fleet-test iopoll-test

# Swift's static runtime sits beside the toolchain's lib/swift.
SWIFT_STATIC := $(abspath $(dir $(shell readlink -f "$$(command -v $(SWIFT))"))/../lib/swift_static)
DIST_SCRATCH := .build-dist

# dist/uringbench: the Swift runtime, libstdc++, liburing and libaio linked in; only glibc stays
# dynamic. A release build in its own scratch directory, so the dynamic `make build` is left alone.
dist: deps
	@test -d "$(SWIFT_STATIC)" || { echo "make dist: $(SWIFT_STATIC) is missing; this toolchain has no static Swift runtime (use a swift.org toolchain)"; exit 1; }
	@for a in liburing.a libaio.a libstdc++.a; do \
	  case "$$(cc -print-file-name=$$a)" in /*) ;; *) echo "make dist: $$a not found; install liburing-dev, libaio-dev and libstdc++-dev"; exit 1;; esac; \
	done
	@mkdir -p $(DIST_SCRATCH)/static-libs && ln -sf "$$(cc -print-file-name=libstdc++.a)" $(DIST_SCRATCH)/static-libs/libstdc++.a
	URINGBENCH_STATIC_LIBS=1 URINGBENCH_STATIC_LIBDIR=$(CURDIR)/$(DIST_SCRATCH)/static-libs $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(DIST_SCRATCH) --product uringbench
	@mkdir -p dist
	install -m 755 $(DIST_SCRATCH)/release/uringbench dist/uringbench
	@ls -l dist/uringbench && ldd dist/uringbench

# dist/uringbench runs randread, compare and engines in a chroot that holds only the libraries
# ldd names for it (glibc); the dynamic build must fail there. Needs root (unshare, chroot).
dist-test: dist
	$(SWIFT) build --product uringbench
	scripts/dist_test.sh dist/uringbench .build/debug/uringbench

# The Ansible playbook (deploy/ansible) against three inventory hosts that are all this machine
# (ansible_connection=local, a directory and data file each), then `uringbench fleet` on the
# results. Installs ansible-core with pip when ansible-playbook is missing.
fleet-test: dist
	scripts/fleet_test.sh dist/uringbench

# IOPOLL where it can act: dist/uringbench in a QEMU guest with an emulated NVMe disk that has a
# poll queue (docs/memory.md). Installs qemu-system-x86 and busybox-static when missing and
# downloads Debian's kernel package into .build-iopoll.
iopoll-test: dist
	IOPOLL_WORK=.build-iopoll scripts/iopoll_vm_test.sh dist/uringbench
