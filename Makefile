# uringbench — the README's two commands: `make run` (the headline job) and `make test`.
# Both install what is missing first (Debian/Ubuntu packages; Swift packages resolve by URL).

SWIFT     ?= swift
BIN       := .build/release/uringbench
APT_DEPS  := liburing-dev libaio-dev
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps deps-bench build run test bench-vs-fio clean

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

build: deps
	$(SWIFT) build -c release

# The headline job: 4 KiB O_DIRECT random reads, io_uring, 32 in flight, 10 s, on ./uringbench.dat
# (laid out on first use, 1 GiB). Pass ARGS to change it, e.g. make run ARGS="--engine libaio".
run: build
	$(BIN) randread --engine io_uring --iodepth 32 $(ARGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# uringbench and fio on the same jobs, interleaved over rounds; prints median ratios.
bench-vs-fio: build deps-bench
	python3 scripts/bench_vs_fio.py $(ARGS)

clean:
	rm -rf .build
