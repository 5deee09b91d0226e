#!/usr/bin/env bash
# The echo tables of docs/network.md and results/echo-*: epoll vs io_uring vs io_uring_multishot vs SwiftNIO at 64 and 512 B,
# 5 interleaved rounds, medians with min-max, server on CPU 0 and client on CPU 1. Two loads:
# 100 connections (the throughput table) and 8 connections (the same at low concurrency, where
# round trips are ~10x shorter). The "busy srv/cli" column says which core was the limit.
# Usage: scripts/bench_echo.sh [extra `uringbench echo` flags, e.g. -n 100000 --rounds 7]
# Writes the table to stdout and to results/echo-<UTC time>.txt (with the machine it ran on).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/uringbench}
NIO=${NIO:-nio-echo/.build/release/nio-echo}
[ -x "$BIN" ] || { echo "bench_echo: $BIN missing: run make build" >&2; exit 1; }
ENGINES=epoll,io_uring,io_uring_multishot
if [ -x "$NIO" ]; then ENGINES=$ENGINES,nio; else echo "bench_echo: $NIO missing (make nio-echo): running without the nio baseline" >&2; fi
if [ "$(nproc)" -lt 2 ]; then echo "bench_echo: needs 2 CPUs to pin server and client apart" >&2; exit 1; fi
mkdir -p results
OUT=results/echo-$(date -u +%Y%m%dT%H%M%SZ).txt
COMMON=(echo --engines "$ENGINES" --size 64,512 --rounds 5 -t 1 --server-cpu 0 --client-cpu 1 --nio-binary "$NIO")
{
  echo "# $(date -u) on $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  for load in "-c 100 -n 200000 --warmup 20000" "-c 8 -n 100000 --warmup 10000"; do
    # shellcheck disable=SC2206
    CMD=("$BIN" "${COMMON[@]}" $load "$@")
    echo
    echo "# ${CMD[*]}"
    "${CMD[@]}"
  done
} | tee "$OUT"
echo "saved $OUT" >&2
