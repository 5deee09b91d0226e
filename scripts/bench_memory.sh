#!/usr/bin/env bash
# The two scenarios of docs/memory.md, run under a memory limit so the page cache cannot hold the
# file ("working sets larger than memory"):
#   reads:  random 4 KiB reads of a file 1.5x the memory the page cache may use, by mmap,
#           buffered psync, pvsync2 --uncached (RWF_DONTCACHE), psync O_DIRECT and io_uring
#           O_DIRECT, all at the same number of IOs in flight (--concurrency);
#   writes: sequential writes of a file 1.5x that memory, buffered against uncached, by pvsync2
#           and io_uring.
# Each is one or more `uringbench compare` runs; their tables go to stdout and, with their JSON
# results and plots, to the results directory.
#
#   scripts/bench_memory.sh [--limit 2G] [--runtime 60s] [--rounds 2] [--concurrency 32]
#                           [--scenario reads|writes|all] [--dir DIR] [--results DIR]
#
# The limit: `systemd-run --scope -p MemoryMax=LIMIT` where systemd runs the machine; otherwise,
# as root, a cgroup of its own made below this shell's (memory.max on cgroup v2,
# memory.limit_in_bytes on v1) and removed at the end. uringbench reads the limit and resolves
# --size 1.5xmem against it (3 GiB under the default 2G).
set -euo pipefail

LIMIT=2G RUNTIME=60s ROUNDS=2 CONCURRENCY=32 SCENARIO=all DIR=. RESULTS=""
UB=${URINGBENCH:-.build/release/uringbench}

die() { echo "bench_memory.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        --limit) LIMIT=${2:?}; shift 2 ;;
        --runtime) RUNTIME=${2:?}; shift 2 ;;
        --rounds) ROUNDS=${2:?}; shift 2 ;;
        --concurrency) CONCURRENCY=${2:?}; shift 2 ;;
        --scenario) SCENARIO=${2:?}; shift 2 ;;
        --dir) DIR=${2:?}; shift 2 ;;
        --results) RESULTS=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1'; see --help" ;;
    esac
done
case "$SCENARIO" in reads|writes|all) ;; *) die "--scenario is reads, writes or all, not '$SCENARIO'" ;; esac
[[ "$LIMIT" =~ ^[0-9]+[KMG]?$ ]] || die "--limit is a size such as 2G or 512M, not '$LIMIT'"
[ -x "$UB" ] || die "no uringbench at $UB; run make build, or set URINGBENCH=PATH"
[ -d "$DIR" ] && [ -w "$DIR" ] || die "--dir $DIR is not a writable directory"
RESULTS=${RESULTS:-results/memory-$(date -u +%Y%m%d)-$(hostname -s)}
mkdir -p "$RESULTS"
FILE="$DIR/bench-memory.dat"

# The cases. Until compare takes a list of --direct values, buffered and O_DIRECT are separate
# compare runs; once it does, this one line replaces the two READ_RUNS lines:
#   READ_RUNS=("reads --engines mmap,psync,pvsync2,io_uring --direct 0,1")
READ_RUNS=("reads-buffered --engines mmap,psync,pvsync2 --uncached --direct 0"
           "reads-direct --engines psync,io_uring --direct 1")
# --uncached is a per-engine flag and compare keys cases by engine, so buffered and uncached
# writes are two runs.
WRITE_RUNS=("writes-buffered --engines pvsync2,io_uring --direct 0"
            "writes-uncached --engines pvsync2,io_uring --uncached --direct 0")
# --norandommap: with the random map a time-based run reads each block once per pass and drops
# the file's cache at each new pass (fio's loop_cache_invalidate), so nothing would ever be read
# from the cache; without it blocks repeat, as in a database's reads.
READ_ARGS=(--rw randread --bs 4k --concurrency "$CONCURRENCY" --norandommap)
WRITE_ARGS=(--rw write --bs 64k --iodepth 8)
COMMON=(--size 1.5xmem --filename "$FILE" --runtime "$RUNTIME" --rounds "$ROUNDS")

# A command under the memory limit: systemd-run where systemd runs, else a cgroup of our own.
CGROUP=""
cleanup() { if [ -n "$CGROUP" ]; then rmdir "$CGROUP" 2>/dev/null || true; fi; }
trap cleanup EXIT
make_cgroup() {
    [ "$(id -u)" = 0 ] || die "systemd-run --scope is unavailable and making a cgroup needs root; run uringbench under a limit yourself (docs/memory.md)"
    local v2 v1
    v2=$(sed -n 's/^0:://p' /proc/self/cgroup)
    v1=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}:\(.*\)/\3/p' /proc/self/cgroup)
    if [ -n "$v1" ] && [ -d /sys/fs/cgroup/memory ]; then
        CGROUP="/sys/fs/cgroup/memory${v1%/}/uringbench-memory-$$"
        mkdir "$CGROUP" && echo "$LIMIT" > "$CGROUP/memory.limit_in_bytes"
    elif [ -n "$v2" ] && [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        CGROUP="/sys/fs/cgroup${v2%/}/uringbench-memory-$$"
        mkdir "$CGROUP" && echo "$LIMIT" > "$CGROUP/memory.max" \
            || die "cannot set memory.max in $CGROUP (is the memory controller enabled in the parent's cgroup.subtree_control?)"
    else
        die "no memory cgroup found in /proc/self/cgroup; run uringbench under a limit yourself (docs/memory.md)"
    fi
}
if systemd-run --scope -q -p MemoryMax="$LIMIT" true 2>/dev/null; then
    LIMITED=(systemd-run --scope -q -p MemoryMax="$LIMIT" --)
    HOW="systemd-run --scope -p MemoryMax=$LIMIT"
else
    make_cgroup
    LIMITED=(sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CGROUP")
    HOW="cgroup $CGROUP, limit $LIMIT"
fi

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(hostname -s)  kernel: $(uname -r)"
    echo "uringbench: $("$UB" --version)"
    echo "limit: $HOW; runtime $RUNTIME per case, $ROUNDS rounds, data file $FILE"
} | tee "$RESULTS/README.txt"

run_case() {   # NAME compare-arguments…
    local name=$1; shift
    echo; echo "== $name: $UB compare $* ${COMMON[*]}"
    "${LIMITED[@]}" "$UB" compare "$@" "${COMMON[@]}" --output "$RESULTS/$name.json" | tee "$RESULTS/$name.txt"
    "$UB" plot "$RESULTS/$name.json" --output "$RESULTS/$name.html" >/dev/null
}
if [ "$SCENARIO" != writes ]; then
    for spec in "${READ_RUNS[@]}"; do read -ra words <<< "$spec"; run_case "${words[@]}" "${READ_ARGS[@]}"; done
fi
if [ "$SCENARIO" != reads ]; then
    for spec in "${WRITE_RUNS[@]}"; do read -ra words <<< "$spec"; run_case "${words[@]}" "${WRITE_ARGS[@]}"; done
fi
echo; echo "results: $RESULTS (the tables, each run's JSON with its memory figures, and plots)"
