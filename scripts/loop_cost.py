#!/usr/bin/env python3
"""Each tool's own user-space CPU per IO, apart from what it spends once per run.

bench_vs_fio.py divides a whole process's CPU by its IOs, so what a tool spends once per run
(start-up, parsing, fio's clock calibration, the report) counts as if it were per IO, more so
the shorter the run. Here each tool runs the same random-read job twice per round, short and
long, under `perf record -e cpu-clock:u` (user-space CPU, sampled at 4 kHz: finer than
wait4's tick-sampled ru_utime); the slope (long - short) / (IOs long - IOs short) is the loop's
user CPU per IO, and the intercept what the run costs once. Rounds interleave the tools;
medians of per-round values, and of per-round paired ratios uringbench/fio.

Usage: scripts/loop_cost.py [--rounds 3] [--short 1] [--long 8] [--engine io_uring]
                            [--filename bench.dat] [--size 1G] [--iodepth 32]
                            [--fio fio] [--uringbench .build/release/uringbench]
                            [--t-io-uring PATH] [--null]
(--t-io-uring: also fio's t/io_uring, a bare submit/reap loop with no latency or random map,
as a floor: -d DEPTH -s1 -c1, no polling, fixed files or buffers, like the job.
--null: also each tool's null engine on the same job: the loop's bookkeeping (random map, clock
reads, latencies, slots) with no syscall, so that loop minus null is what the engine and its
syscalls cost in user space.)

SIGINT or SIGTERM (a CI job's timeout) stops it: the tools' processes are killed, and the rounds
completed so far are summed up; it exits 130.

What it counts as user time includes what the CPU spends in user mode right after each
syscall returns (on this project's VM most of a bare loop's samples fall on the instruction
after the syscall), so a tool that makes the same syscalls per IO pays it too.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile


class Stopped(Exception):
    """SIGINT or SIGTERM (a CI job's timeout): the rounds measured so far are printed."""


def stop(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def kill_tree(pid):
    """SIGKILL to pid and every process below it: fio's job processes start sessions of their
    own (setsid), so killing perf's process group would leave them running."""
    def children(p):
        found = []
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    found += [int(c) for c in f.read().split()]
        except OSError:
            pass
        return found
    for _ in range(2):    # again, for anything forked while the first pass ran
        tree, i = [pid], 0
        while i < len(tree):
            tree += children(tree[i])
            i += 1
        for p in tree:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass


def user_ns(cmd, data):
    """Runs cmd under perf record (user-space cpu-clock, 4 kHz): (stdout, sampled user ns).
    On a stop, perf and everything it started are killed."""
    perf = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock:u", "-F", "4000", "-o", data, "--"] + cmd,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        stdout, _ = perf.communicate()
    except BaseException:
        kill_tree(perf.pid)
        perf.wait()
        raise
    if perf.returncode != 0:
        sys.exit(f"loop_cost: {' '.join(cmd[:2])} failed (exit {perf.returncode}); run it by hand to see why")
    report = subprocess.run(["perf", "report", "-i", data, "--stdio"], capture_output=True, text=True).stdout
    m = re.search(r"^# Event count \(approx\.\): (\d+)", report, re.M)
    return stdout, int(m.group(1)) if m else 0


def json_ios(text):
    job = json.loads(text)["jobs"][0]
    return job["read"]["total_ios"] + job["write"]["total_ios"]


def tio_ios(text):
    # t/io_uring prints one "IOPS=…" line per second but the last of its run: the slope
    # between two runs is right (both miss one second); what a run costs once is not, and the
    # table leaves it out.
    scale = {"": 1, "K": 1e3, "M": 1e6}
    return int(sum(float(v) * scale[u] for v, u in re.findall(r"^IOPS=([0-9.]+)([KM]?),", text, re.M)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--short", type=int, default=1, help="seconds of the short run")
    ap.add_argument("--long", type=int, default=8, help="seconds of the long run")
    ap.add_argument("--engine", default="io_uring", help="io_uring or libaio (both tools)")
    ap.add_argument("--filename", default="bench.dat")
    ap.add_argument("--size", default="1G")
    ap.add_argument("--iodepth", type=int, default=32)
    ap.add_argument("--fio", default="fio")
    ap.add_argument("--uringbench", default=".build/release/uringbench")
    ap.add_argument("--t-io-uring", dest="tio", default=None)
    ap.add_argument("--null", action="store_true", help="also each tool's null engine on the same job")
    args = ap.parse_args()
    if args.rounds < 1 or args.short < 1 or args.long <= args.short:
        sys.exit("loop_cost: --rounds must be at least 1 and --long longer than --short (seconds)")
    if args.engine not in ("io_uring", "libaio"):
        sys.exit(f"loop_cost: --engine {args.engine}: choose io_uring or libaio")
    if not shutil.which("perf"):
        sys.exit("loop_cost: needs perf (apt-get install linux-perf)")
    fio = shutil.which(args.fio)
    if not fio:
        sys.exit(f"loop_cost: fio not found at '{args.fio}'; install it (apt-get install fio) or give --fio PATH")
    if not os.path.exists(args.uringbench):
        sys.exit(f"loop_cost: {args.uringbench} not found; run `make build` first")
    if args.tio and (args.engine != "io_uring" or not os.access(args.tio, os.X_OK)):
        sys.exit("loop_cost: --t-io-uring needs an executable t/io_uring and --engine io_uring")

    def ub(seconds, json=True, engine=args.engine):
        return [args.uringbench, "randread", "--engine", engine, "--iodepth", str(args.iodepth),
                "--runtime", f"{seconds}s", "--size", args.size, "--filename", args.filename,
                ] + (["--output-format", "json"] if json else [])

    def fio_cmd(seconds, engine=args.engine):
        return [fio, "--name=randread", f"--filename={args.filename}", f"--size={args.size}", "--rw=randread",
                "--bs=4k", f"--ioengine={engine}", f"--iodepth={args.iodepth}", "--direct=1",
                f"--runtime={seconds}", "--time_based", "--output-format=json"]

    def tio(seconds):
        # One second more: its last second prints no line.
        return [args.tio, f"-d{args.iodepth}", "-s1", "-c1", "-p0", "-B0", "-F0", "-X0", f"-r{seconds + 1}", args.filename]

    tools = [("fio", fio_cmd, json_ios), ("uringbench", ub, json_ios)]
    if args.tio:
        tools.append(("t/io_uring", tio, tio_ios))
    if args.null:
        tools += [("fio null", lambda s: fio_cmd(s, engine="null"), json_ios),
                  ("uringbench null", lambda s: ub(s, engine="null"), json_ios)]
    rows = {name: [] for name, _, _ in tools}
    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, stop)
    try:
        # uringbench lays the file out (its pattern) if it is missing; the others read it.
        subprocess.run(ub(1, json=False), stdout=subprocess.DEVNULL, check=True)
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(args.rounds):
                measure_round(r, tools, rows, args, os.path.join(tmp, "perf.data"))
    except Stopped as why:
        # Only whole rounds are paired: a round cut short is dropped for every tool.
        done = min(len(v) for v in rows.values())
        rows = {name: v[:done] for name, v in rows.items()}
        print(f"loop_cost: stopped by {why} after {done} of {args.rounds} rounds", file=sys.stderr)
        if done > 0:
            args.rounds = done
            print_summary(rows, tools, args)
        sys.exit(130)
    print_summary(rows, tools, args)


def measure_round(r, tools, rows, args, data):
    """Round r: each tool short then long (the order reversed every other round), a row each."""
    order = tools if r % 2 == 0 else tools[::-1]
    for name, cmd, ios_of in order:
        points = []
        for seconds in (args.short, args.long):
            out, ns = user_ns(cmd(seconds), data)
            points.append((ns, ios_of(out)))
        (ns1, io1), (ns2, io2) = points
        if io2 <= io1:
            sys.exit(f"loop_cost: {name} did no more IOs in {args.long} s than in {args.short} s ({io2} vs {io1})")
        slope = (ns2 - ns1) / (io2 - io1)
        rows[name].append({"slope": slope, "fixed_ms": (ns1 - slope * io1) / 1e6,
                           "whole": ns2 / io2, "iops": io2 / args.long})
        # At millions of IOs per second (null) a tiny error in the slope swamps the
        # intercept, and t/io_uring's runs miss their last second: no once-per-run figure.
        no_once = name == "t/io_uring" or name.endswith(" null")
        once = "" if no_once else \
            f"once {rows[name][-1]['fixed_ms']:6.1f} ms  whole {args.long} s run {ns2 / io2:6.0f} ns/IO  "
        print(f"round {r + 1} {name:15s} loop {slope:6.0f} ns/IO  {once}IOPS {io2 / args.long:9.0f}  "
              f"load {os.getloadavg()[0]:.2f}", flush=True)


def print_summary(rows, tools, args):
    """The medians per tool, the paired ratios, and (--null) the loop split."""
    def med(name, key):
        return statistics.median(x[key] for x in rows[name])

    print(f"\n{args.engine} randread 4k QD{args.iodepth} O_DIRECT, {args.rounds} rounds of {args.short} s and {args.long} s; "
          "user-space CPU by perf cpu-clock:u; medians")
    print("| tool | loop user ns/IO | once per run (ms) | whole long run ns/IO | IOPS |")
    print("|---|---:|---:|---:|---:|")
    for name, _, _ in tools:
        # t/io_uring's last second prints no line: only its slope and IOPS are right; a null
        # engine's intercept is lost in its slope's error.
        once = "–" if name == "t/io_uring" or name.endswith(" null") else f"{med(name, 'fixed_ms'):.1f}"
        whole = "–" if name == "t/io_uring" else f"{med(name, 'whole'):.0f}"
        print(f"| {name} | {med(name, 'slope'):.0f} | {once} | {whole} | {med(name, 'iops'):,.0f} |")
    ratio = [u["slope"] / f["slope"] for u, f in zip(rows["uringbench"], rows["fio"])]
    whole = [u["whole"] / f["whole"] for u, f in zip(rows["uringbench"], rows["fio"])]
    print(f"uringbench/fio, paired by round: loop {statistics.median(ratio):.2f} ({min(ratio):.2f}-{max(ratio):.2f}), "
          f"whole {args.long} s run {statistics.median(whole):.2f} ({min(whole):.2f}-{max(whole):.2f})")
    if args.null:
        print_split(rows, args.engine)


def print_split(rows, engine):
    """The loop split in two, per round: the null engine's loop (the bookkeeping with no syscall)
    and the rest, loop minus null (the engine, its syscalls, and the bookkeeping run cold after
    each one)."""
    def split(tool):
        return [(x["slope"], n["slope"], x["slope"] - n["slope"]) for x, n in zip(rows[tool], rows[tool + " null"])]
    print(f"\nThe loop split: null engine (no syscall) and {engine} minus null; medians of rounds, ns/IO")
    print("| tool | loop | null engine's loop | loop minus null |")
    print("|---|---:|---:|---:|")
    parts = {}
    for tool in ("fio", "uringbench"):
        parts[tool] = split(tool)
        print(f"| {tool} | " + " | ".join(f"{statistics.median(p[i] for p in parts[tool]):.0f}" for i in range(3)) + " |")
    for i, what in ((1, "null engine's loop"), (2, "loop minus null")):
        r = [u[i] / f[i] for u, f in zip(parts["uringbench"], parts["fio"]) if f[i] > 0]
        if r:
            print(f"uringbench/fio, {what}: {statistics.median(r):.2f} ({min(r):.2f}-{max(r):.2f})")


if __name__ == "__main__":
    main()
