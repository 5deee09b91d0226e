#!/usr/bin/env bash
# make gate-check: how often the gate cries wolf on honest runs, and how often it catches a real
# drop. Measured, not unit-tested: the answer depends on this machine's noise.
#   1. a fresh baseline: ENGINES at QD32, ROUNDS interleaved rounds of RUNTIME each;
#   2. RUNS honest runs of the same command against it: any exit 2 is a false alarm;
#   3. RUNS throttled runs, each engine capped with rate_iops at FRACTION of its own baseline
#      median IOPS (a job file, since each engine gets its own cap): exit 2 is a catch.
# Prints both counts with the date and load averages; exit 1 when a target is missed
# (≤ 1 false alarm in 20, ≥ 19 of 20 caught). Everything goes to OUT (default .build/gate-check).
set -uo pipefail
BIN=${BIN:-.build/release/uringbench}
RUNS=${RUNS:-20}
ENGINES=${ENGINES:-libaio,io_uring}
ROUNDS=${ROUNDS:-5}
RUNTIME=${RUNTIME:-1s}
SIZE=${SIZE:-256M}
FRACTION=${FRACTION:-0.85}
OUT=${OUT:-.build/gate-check}

[ -x "$BIN" ] || { echo "gate-check: $BIN is not built; run make build (or set BIN)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "gate-check: needs python3 to read the baseline's medians (apt-get install -y python3)" >&2; exit 1; }
mkdir -p "$OUT"
data="$OUT/gate-check.dat"
log="$OUT/gate-check.log"
common=(--iodepth 32 --runtime "$RUNTIME" --rounds "$ROUNDS" --size "$SIZE" --filename "$data")
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "gate-check started $(date -u +%FT%TZ), $(nproc) cores, kernel $(uname -r), load $(load)" | tee "$log"
echo "  $RUNS honest + $RUNS throttled runs of: compare --engines $ENGINES ${common[*]} --against (default thresholds)" | tee -a "$log"
# The baseline file is this script's own output: replaced on every check.
rm -f "$OUT/baseline.json"
"$BIN" compare --engines "$ENGINES" "${common[@]}" --output "$OUT/baseline.json" >"$OUT/baseline.txt" 2>>"$log" \
  || { echo "gate-check: the baseline run failed (see $log)" >&2; exit 1; }
# Per-engine caps at FRACTION of the baseline's median IOPS, as a job file.
python3 - "$OUT/baseline.json" "$FRACTION" "$data" "$SIZE" >"$OUT/throttled.fio" <<'PY' || exit 1
import json, sys
path, fraction, data, size = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
cases = json.load(open(path))["uringbench_compare"]["cases"]
fio = {"psync": "psync", "libaio": "libaio", "io_uring": "io_uring"}
print(f"[global]\nrw=randread\nbs=4k\niodepth=32\ndirect=1\nstonewall=1\ntime_based=1\nruntime=1\nsize={size}\nfilename={data}\n")
for c in cases:
    engine = c["key"]["engine"]
    if engine not in fio:
        sys.exit(f"gate-check: no job-file form for {engine}; use ENGINES from psync,libaio,io_uring")
    print(f"[{engine}]\nioengine={fio[engine]}\nrate_iops={int(c['iops']['median'] * fraction)}\n")
PY
grep -E "^\[|rate_iops" "$OUT/throttled.fio" | paste -sd' ' | sed 's/^/  throttled: /' | tee -a "$log"

false_alarms=0; noise=0; undecided=0
for i in $(seq 1 "$RUNS"); do
  "$BIN" compare --engines "$ENGINES" "${common[@]}" --against "$OUT/baseline.json" >"$OUT/honest-$i.txt" 2>/dev/null
  rc=$?
  [ "$rc" = 2 ] && false_alarms=$((false_alarms + 1))
  [ "$rc" = 3 ] && undecided=$((undecided + 1))
  n=$(grep -c '^  noise ' "$OUT/honest-$i.txt")
  noise=$((noise + n))
  echo "  honest $i/$RUNS: exit $rc, $(grep -c '^  REGRESSED' "$OUT/honest-$i.txt") regressed, $n noise; load $(load)" | tee -a "$log"
  [ "$rc" = 0 ] || [ "$rc" = 2 ] || [ "$rc" = 3 ] || { echo "gate-check: honest run $i failed with exit $rc (see $OUT/honest-$i.txt)" >&2; exit 1; }
done

caught=0
for i in $(seq 1 "$RUNS"); do
  "$BIN" compare --job-file "$OUT/throttled.fio" --runtime "$RUNTIME" --rounds "$ROUNDS" --against "$OUT/baseline.json" >"$OUT/throttled-$i.txt" 2>/dev/null
  rc=$?
  [ "$rc" = 2 ] && caught=$((caught + 1))
  echo "  throttled $i/$RUNS: exit $rc, $(grep '^  REGRESSED' "$OUT/throttled-$i.txt" | grep -c ' IOPS ') IOPS regressions named; load $(load)" | tee -a "$log"
  [ "$rc" = 0 ] || [ "$rc" = 2 ] || [ "$rc" = 3 ] || { echo "gate-check: throttled run $i failed with exit $rc (see $OUT/throttled-$i.txt)" >&2; exit 1; }
done

echo "gate-check finished $(date -u +%FT%TZ), load $(load)" | tee -a "$log"
echo "false alarms: $false_alarms/$RUNS honest runs (target ≤ 1; $noise findings past a threshold were called noise, $undecided undecided)" | tee -a "$log"
echo "caught: $caught/$RUNS runs throttled to ${FRACTION} of the baseline's IOPS (target ≥ $((RUNS - 1)))" | tee -a "$log"
[ "$false_alarms" -le $((RUNS / 20)) ] && [ "$caught" -ge $((RUNS - RUNS / 20)) ]
