#!/usr/bin/env python3
"""uringbench vs fio on the same jobs, interleaved over rounds, median ratios per engine.

Each round runs every job under both tools back to back (alternating which goes first), so the
drift of a shared machine hits both alike. CPU is measured the same way for both: the whole
process tree's user+system time from wait4(2), divided by the IOs the tool reports. Latency
percentiles come from each tool's own JSON (clat_ns.percentile).

Usage: scripts/bench_vs_fio.py [--rounds 3] [--runtime 5] [--size 1G] [--filename bench.dat]
                               [--jobs psync,libaio,io_uring,io_uring_sqpoll,io_uring_sqpoll_spin,pagecache,null]
                               [--markdown results/bench-vs-fio.md]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

JOBS = {
    # name: (uringbench engine, fio engine args, iodepth, direct)
    "psync": ("psync", ["--ioengine=psync"], 1, True),
    "libaio": ("libaio", ["--ioengine=libaio"], 32, True),
    "io_uring": ("io_uring", ["--ioengine=io_uring"], 32, True),
    "io_uring_sqpoll": ("io_uring_sqpoll", ["--ioengine=io_uring", "--sqthread_poll=1"], 32, True),
    # fio 3.x polls the CQ ring under SQPOLL instead of sleeping: --sqpoll-spin does the same.
    "io_uring_sqpoll_spin": ("io_uring_sqpoll", ["--ioengine=io_uring", "--sqthread_poll=1"], 32, True),
    "pagecache": ("psync", ["--ioengine=psync"], 1, False),
    # No IO at all: each tool's own per-IO cost.
    "null": ("null", ["--ioengine=null"], 32, True),
}


def run_measured(cmd):
    """Runs cmd, returns (stdout, cpu seconds of the process and its waited-for children)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Read stdout fully before wait4 so the child never blocks on a full pipe.
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench_vs_fio: {' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace').strip()}")
    return out.decode(), usage.ru_utime + usage.ru_stime


def summarize(doc, cpu_seconds):
    job = doc["jobs"][0]
    read = job["read"]
    pct = read["clat_ns"].get("percentile", {})
    ios = read["total_ios"]
    return {
        "iops": read["iops"],
        "cpu_us_per_io": cpu_seconds * 1e6 / ios if ios else float("nan"),
        "p50_us": pct.get("50.000000", 0) / 1000,
        "p99_us": pct.get("99.000000", 0) / 1000,
    }


def fio_cmd(args, name):
    engine, fio_engine, depth, direct = JOBS[name]
    cmd = ["fio", "--name=" + name, "--filename=" + args.filename, "--size=" + args.size,
           "--time_based", f"--runtime={args.runtime}", "--rw=randread", "--bs=4k",
           f"--iodepth={depth}", f"--direct={1 if direct else 0}", "--randrepeat=0",
           "--output-format=json"] + fio_engine
    if not direct:
        cmd.append("--invalidate=0")
    return cmd


def ub_cmd(args, name):
    engine, _, depth, direct = JOBS[name]
    cmd = [args.uringbench, "randread", "--engine", engine, "--iodepth", str(depth),
           "--runtime", f"{args.runtime}s", "--size", args.size, "--filename", args.filename,
           "--output-format", "json"]
    if not direct:
        cmd += ["--direct", "0", "--invalidate", "0"]
    if name.endswith("_spin"):
        cmd.append("--sqpoll-spin")
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runtime", type=int, default=5, help="seconds per run")
    ap.add_argument("--size", default="1G")
    ap.add_argument("--filename", default="bench.dat")
    ap.add_argument("--jobs", default="psync,libaio,io_uring,io_uring_sqpoll,io_uring_sqpoll_spin,pagecache,null")
    ap.add_argument("--uringbench", default=".build/release/uringbench")
    ap.add_argument("--markdown", help="also write the table to this file")
    args = ap.parse_args()
    names = [j for j in args.jobs.split(",") if j]
    for n in names:
        if n not in JOBS:
            sys.exit(f"bench_vs_fio: unknown job '{n}'; choose from {','.join(JOBS)}")
    if args.rounds < 1:
        sys.exit("bench_vs_fio: --rounds must be at least 1")
    if not shutil.which("fio"):
        sys.exit("bench_vs_fio: fio not found; install it (apt-get install fio) or run `make bench-vs-fio`")
    if not os.path.exists(args.uringbench):
        sys.exit(f"bench_vs_fio: {args.uringbench} not found; run `swift build -c release` first")

    # uringbench lays the file out (pattern, fsync) if it is missing; fio then reads the same file.
    run_measured(ub_cmd(args, "psync")[:-2] + ["--runtime", "1s"])

    def warm_page_cache():
        # O_DIRECT jobs drop the file's cached pages first (fio's and our default invalidate=1),
        # so the page-cache job re-reads the whole file, buffered, right before it runs.
        subprocess.run(["dd", f"if={args.filename}", "of=/dev/null", "bs=1M", "status=none"], check=True)

    samples = {n: {"fio": [], "ub": []} for n in names}
    started = time.time()
    for r in range(args.rounds):
        for n in names:
            order = [("fio", fio_cmd), ("ub", ub_cmd)]
            if r % 2:
                order.reverse()
            for tool, build in order:
                if not JOBS[n][3]:
                    warm_page_cache()
                out, cpu = run_measured(build(args, n))
                s = summarize(json.loads(out), cpu)
                samples[n][tool].append(s)
                print(f"round {r + 1} {n:16s} {tool:4s} IOPS {s['iops']:10.0f}  cpu/IO {s['cpu_us_per_io']:6.2f} us"
                      f"  p50 {s['p50_us']:8.1f} us  p99 {s['p99_us']:8.1f} us", file=sys.stderr, flush=True)

    def med(xs):
        return statistics.median(xs)

    lines = [
        f"uringbench vs fio {subprocess.run(['fio', '--version'], capture_output=True, text=True).stdout.strip()}: "
        f"4k randread, {args.size} file, {args.runtime}s per run, {args.rounds} interleaved rounds; "
        f"kernel {os.uname().release}, {os.cpu_count()} CPUs; medians (ratio = uringbench/fio, per-round paired, min–max)",
        "",
        "| job | iodepth | fio IOPS | uringbench IOPS | IOPS ratio | fio CPU µs/IO | uringbench CPU µs/IO | CPU/IO ratio | clat p50 fio / ub (µs) | p50 ratio | clat p99 fio / ub (µs) | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in names:
        f, u = samples[n]["fio"], samples[n]["ub"]

        def ratio(key):
            rs = [b[key] / a[key] for a, b in zip(f, u) if a[key]]
            return (med(rs), min(rs), max(rs)) if rs else (float("nan"),) * 3

        def fmt(t):
            return f"{t[0]:.2f} ({t[1]:.2f}–{t[2]:.2f})"

        lines.append(
            f"| {n} | {JOBS[n][2]} | {med([s['iops'] for s in f]):,.0f} | {med([s['iops'] for s in u]):,.0f} | {fmt(ratio('iops'))} "
            f"| {med([s['cpu_us_per_io'] for s in f]):.2f} | {med([s['cpu_us_per_io'] for s in u]):.2f} | {fmt(ratio('cpu_us_per_io'))} "
            f"| {med([s['p50_us'] for s in f]):.0f} / {med([s['p50_us'] for s in u]):.0f} | {fmt(ratio('p50_us'))} "
            f"| {med([s['p99_us'] for s in f]):.0f} / {med([s['p99_us'] for s in u]):.0f} | {fmt(ratio('p99_us'))} |")
    lines.append("")
    lines.append(f"(measured in {time.time() - started:.0f} s)")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(table + "\n")


if __name__ == "__main__":
    main()
