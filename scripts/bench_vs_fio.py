#!/usr/bin/env python3
"""uringbench vs fio on the same jobs, interleaved over rounds, median ratios per engine.

Each round runs every job under both tools back to back (alternating which goes first), so the
drift of a shared machine hits both alike. CPU is measured the same way for both: the whole
process tree's user+system time from wait4(2), divided by the IOs the tool reports. Latency
percentiles come from each tool's own JSON (clat_ns.percentile).

Usage: scripts/bench_vs_fio.py [--rounds 3] [--runtime 5] [--size 1G] [--filename bench.dat]
                               [--jobs psync,libaio,io_uring,io_uring_sqpoll,io_uring_sqpoll_spin,pagecache,null,sync,...]
                               [--write-filename bench-writes.dat] [--write-size 1G] [--io-size 512M]
                               [--fio PATH] [--markdown results/bench-vs-fio.md]
(--jobs: any of the JOBS below; default all that the fio can run. --fio: the fio binary both
tables run, default fio on PATH; the uncached rows need fio 3.40 or later.)
       scripts/bench_vs_fio.py --concurrent [--pairs psync,io_uring] [--rounds 3] [--runtime 5] ...
(--concurrent: the two-job rows instead: a reader and a writer at once on one O_DIRECT file, one
job file run by both tools (fio's jobs in one group), each job's IOPS beside fio's.)
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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
    # The synchronous models of the memory-models round, O_DIRECT and through the page cache.
    "sync": ("sync", ["--ioengine=sync"], 1, True),
    "pvsync": ("pvsync", ["--ioengine=pvsync"], 1, True),
    "pvsync2": ("pvsync2", ["--ioengine=pvsync2"], 1, True),
    "pagecache_sync": ("sync", ["--ioengine=sync"], 1, False),
    "pagecache_pvsync2": ("pvsync2", ["--ioengine=pvsync2"], 1, False),
    "pagecache_mmap": ("mmap", ["--ioengine=mmap"], 1, False),
    # Buffered reads whose pages leave the page cache once read (RWF_DONTCACHE): see UNCACHED.
    "pagecache_pvsync2_uncached": ("pvsync2", ["--ioengine=pvsync2", "--uncached=1"], 1, False),
    "io_uring_uncached": ("io_uring", ["--ioengine=io_uring", "--uncached=1"], 32, False),
    # glibc's POSIX AIO (user-space threads, one request at a time per file descriptor).
    "posixaio": ("posixaio", ["--ioengine=posixaio"], 32, True),
    # Writes, mixed and sequential jobs: their shape is in SHAPES.
    "randwrite_io_uring": ("io_uring", ["--ioengine=io_uring"], 32, True),
    "randwrite_libaio": ("libaio", ["--ioengine=libaio"], 32, True),
    "randwrite_psync": ("psync", ["--ioengine=psync"], 1, True),
    "randrw70_io_uring": ("io_uring", ["--ioengine=io_uring"], 32, True),
    "wal_fdatasync": ("psync", ["--ioengine=psync"], 1, True),
    "seqread128k_io_uring": ("io_uring", ["--ioengine=io_uring"], 8, True),
    "seqwrite128k_io_uring": ("io_uring", ["--ioengine=io_uring"], 8, True),
    # Size-bound (no time_based): each run ends after --io-size bytes, as fio's job without
    # time_based; its IOs must be the same count under both tools.
    "io_uring_io_size": ("io_uring", ["--ioengine=io_uring"], 16, True),
}

# Jobs that end after --io-size instead of running for --runtime.
SIZE_BOUND = {"io_uring_io_size"}

# Jobs run with uncached=1 (uringbench's --uncached): RWF_DONTCACHE, 0x80, which fio sends from
# 3.40 on. fio 3.33-3.37 send 0x40 for it (RWF_ATOMIC since Linux 6.11: the first IO fails) and
# 3.38-3.39 have no such option. These rows keep both tools' invalidate=1: an uncached read of a
# page already cached leaves it there, so each run starts from none. Each run must end with
# (nearly) none cached, or the row measured something else.
UNCACHED = {"pagecache_pvsync2_uncached", "io_uring_uncached"}
DONTCACHE_FIO = (3, 40)
# The share of the file's bytes an uncached run may leave cached (readahead, the last reads).
UNCACHED_RESIDENT_MAX = 0.01

# Several jobs at once (numjobs), each a thread: fio with --thread, both tools group-reporting, so
# each run is one merged figure. name: (the job above, numjobs, iodepth per job).
NUMJOBS = {
    "psync_j4": ("psync", 4, 1),
    "io_uring_j2": ("io_uring", 2, 16),
    "libaio_j2": ("libaio", 2, 16),
    "pagecache_j2": ("pagecache", 2, 1),
    # Thread pools larger than the machine: a group's figures must cover one shared window.
    "psync_j16": ("psync", 16, 1),
    "pagecache_j16": ("pagecache", 16, 1),
    "pagecache_j64": ("pagecache", 64, 1),
}
for _name, (_base, _jobs, _depth) in NUMJOBS.items():
    JOBS[_name] = JOBS[_base][:2] + (_depth,) + JOBS[_base][3:]


def numjobs_args(name, fio):
    """The numjobs flags of a job, in each tool's spelling (none for a single job)."""
    if name not in NUMJOBS:
        return []
    n = NUMJOBS[name][1]
    return ["--thread", f"--numjobs={n}", "--group_reporting"] if fio else ["--numjobs", str(n), "--group-reporting"]


def depth_text(name):
    return f"{JOBS[name][2]} × {NUMJOBS[name][1]} jobs" if name in NUMJOBS else f"{JOBS[name][2]}"

# Jobs that are not 4k randread: name -> (rw, bs, the same options for fio and for uringbench,
# the directions whose IOPS add up to the row's; clat percentiles are the first direction's).
SHAPES = {
    "randwrite_io_uring": ("randwrite", "4k", [], ["write"]),
    "randwrite_libaio": ("randwrite", "4k", [], ["write"]),
    "randwrite_psync": ("randwrite", "4k", [], ["write"]),
    "randrw70_io_uring": ("randrw", "4k", [("rwmixread", "70")], ["read", "write"]),
    # The WAL case: sequential 4k writes, each followed by fdatasync (fio's write clat leaves
    # the sync out; both tools report it in their sync block).
    "wal_fdatasync": ("write", "4k", [("fdatasync", "1")], ["write"]),
    "seqread128k_io_uring": ("read", "128k", [], ["read"]),
    "seqwrite128k_io_uring": ("write", "128k", [], ["write"]),
}


def shape(name):
    return SHAPES.get(name, ("randread", "4k", [], ["read"]))


def writes(name):
    return "write" in shape(name)[3]


def us(x):
    """Microseconds as the table prints them: whole above 10, else to the nanosecond (null)."""
    return f"{x:.0f}" if x >= 10 else f"{x:.3f}"


def describe(name):
    """"randrw 70% read, 4k, fdatasync=1" for the table."""
    rw, bs, options, _ = shape(name)
    text = ", ".join([rw + (" (read clat)" if rw == "randrw" else ""), bs] + [f"{k}={v}" for k, v in options])
    if name in SIZE_BOUND:
        text += ", size-bound (io_size, no time_based)"
    return text + ("" if JOBS[name][3] else ", buffered") + (", uncached (RWF_DONTCACHE)" if name in UNCACHED else "")


def reshape_fio(cmd, name):
    """fio's command for the job's rw, bs and options (cmd was built for 4k randread)."""
    rw, bs, options, _ = shape(name)
    cmd = [f"--rw={rw}" if c == "--rw=randread" else f"--bs={bs}" if c == "--bs=4k" else c for c in cmd]
    return cmd + [f"--{k}={v}" for k, v in options]


def reshape_ub(cmd, name):
    """uringbench's command for the job's rw, bs and options (cmd was built for randread)."""
    rw, bs, options, _ = shape(name)
    cmd = [cmd[0], rw] + cmd[2:] + ["--bs", bs]
    for k, v in options:
        cmd += [f"--{k}", v]
    return cmd


def run_measured(cmd, task_clock=False):
    """Runs cmd, returns (stdout, cpu seconds of the process and its waited-for children, the
    user-space part of them). With task_clock the cpu seconds are `perf stat`'s task-clock of
    the process and its children (the scheduler's on-CPU time) instead of wait4's user + system
    time, and the user-space part is perf's user_time of the tool (not perf's own)."""
    if not task_clock:
        out, usage = run_waited(cmd)
        return out, usage.ru_utime + usage.ru_stime, usage.ru_utime
    fd, stat = tempfile.mkstemp(prefix="bench-vs-fio-", suffix=".perf")
    os.close(fd)
    try:
        out, _ = run_waited(["perf", "stat", "-x,", "-e", "task-clock,user_time", "-o", stat, "--"] + cmd)
        with open(stat) as fh:
            figures = perf_figures(fh.read())
    finally:
        os.remove(stat)
    if "task-clock" not in figures or "user_time" not in figures:
        sys.exit("bench_vs_fio: perf stat wrote no task-clock or user_time figure; run without --task-clock")
    return out, figures["task-clock"] / 1e3, figures["user_time"] / 1e9


def run_waited(cmd):
    """Runs cmd to its end: (stdout, wait4's rusage of it and its waited-for children)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Read stdout fully before wait4 so the child never blocks on a full pipe.
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench_vs_fio: {' '.join(cmd)} failed ({proc.returncode}): {err.decode(errors='replace').strip()}")
    return out.decode(), usage


def perf_figures(text):
    """`perf stat -x,` output as {event: value} (task-clock in ms, user_time in ns)."""
    figures = {}
    for line in text.splitlines():
        fields = line.split(",")
        if len(fields) > 2:
            try:
                figures[fields[2]] = float(fields[0])
            except ValueError:
                pass
    return figures


def summarize(doc, cpu_seconds, user_seconds, directions=("read",)):
    job = doc["jobs"][0]
    read = job[directions[0]]
    pct = read["clat_ns"].get("percentile", {})
    ios = sum(job[d]["total_ios"] for d in directions)
    return {
        "iops": sum(job[d]["iops"] for d in directions),
        "ios": ios,
        "cpu_us_per_io": cpu_seconds * 1e6 / ios if ios else float("nan"),
        "user_us_per_io": user_seconds * 1e6 / ios if ios else float("nan"),
        "system_us_per_io": (cpu_seconds - user_seconds) * 1e6 / ios if ios else float("nan"),
        "p50_us": pct.get("50.000000", 0) / 1000,
        "p99_us": pct.get("99.000000", 0) / 1000,
    }


def fio_cmd(args, name):
    engine, fio_engine, depth, direct = JOBS[name]
    end = [f"--io_size={args.io_size}"] if name in SIZE_BOUND else ["--time_based", f"--runtime={args.runtime}"]
    cmd = [args.fio, "--name=" + name, "--filename=" + args.filename, "--size=" + args.size] + end + [
           "--rw=randread", "--bs=4k",
           f"--iodepth={depth}", f"--direct={1 if direct else 0}", "--randrepeat=0",
           "--output-format=json"] + fio_engine + numjobs_args(name, fio=True)
    if args.cpus_allowed:
        cmd.append(f"--cpus_allowed={args.cpus_allowed}")
    if not direct and name not in UNCACHED:
        cmd.append("--invalidate=0")
    return cmd


def ub_cmd(args, name):
    engine, _, depth, direct = JOBS[name]
    end = ["--io-size", args.io_size] if name in SIZE_BOUND else ["--runtime", f"{args.runtime}s"]
    cmd = [args.uringbench, "randread", "--engine", engine, "--iodepth", str(depth)] + end + [
           "--size", args.size, "--filename", args.filename,
           ] + numjobs_args(name, fio=False) + ["--output-format", "json"]
    if args.cpus_allowed:
        cmd += ["--cpus-allowed", args.cpus_allowed]
    if not direct:
        cmd += ["--direct", "0"] + ([] if name in UNCACHED else ["--invalidate", "0"])
    if name.endswith("_spin"):
        cmd.append("--sqpoll-spin")
    if name in UNCACHED:
        cmd.append("--uncached")
    return cmd


def layout_cmd(cmd):
    """A 1 s run of cmd without its JSON output: uringbench lays the file out first if it is
    missing (the pair is found by name; options such as --cpus-allowed may follow it)."""
    i = cmd.index("--output-format")
    return cmd[:i] + cmd[i + 2:] + ["--runtime", "1s"]


def fio_version(fio):
    """fio's own name for itself ("fio-3.33") and its (major, minor), None when unreadable."""
    try:
        text = subprocess.run([fio, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError as error:
        sys.exit(f"bench_vs_fio: cannot run '{fio}' ({error.strerror}); give --fio the path of a fio binary")
    match = re.match(r"fio-(\d+)\.(\d+)", text)
    return text, (int(match[1]), int(match[2])) if match else None


def lacks_dontcache(version):
    """Why a fio of this version cannot run the UNCACHED rows, in words; None when it can."""
    text, number = version
    if number is not None and number >= DONTCACHE_FIO:
        return None
    if number is None:
        what = f"cannot tell which uncached=1 '{text}' sends"
    elif number < (3, 38):
        what = f"{text} sends RWF_ATOMIC (0x40) for uncached=1"
    else:
        what = f"{text} has no uncached option"
    return f"needs a fio with RWF_DONTCACHE (3.40+); {what}: give --fio PATH"


def resident_bytes(path):
    """The bytes of path in the page cache (util-linux fincore, mincore(2) over the file)."""
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", path],
                         capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


def require_uncached(path, name, tool):
    """Stops the run when an uncached run left more than UNCACHED_RESIDENT_MAX of the file cached:
    the tool's uncached=1 did not act, and the row would compare buffered reads."""
    resident, size = resident_bytes(path), os.path.getsize(path)
    if resident > size * UNCACHED_RESIDENT_MAX:
        sys.exit(f"bench_vs_fio: {name}: {tool} left {resident} of the file's {size} bytes in the page cache "
                 f"(more than {UNCACHED_RESIDENT_MAX:.0%}): its uncached=1 did not drop the pages it read")


# Two jobs at once, one group: a 4k randread reader and a 4k randwrite writer on one O_DIRECT
# file. name: (fio ioengine, iodepth per job).
PAIRS = {"psync": ("psync", 1), "io_uring": ("io_uring", 32)}


def emit(table, args):
    """Prints the table, and writes it to --markdown when given."""
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(table + "\n")


def pinning(args):
    """The header's words for where the job threads ran."""
    return f"job threads on CPUs {args.cpus_allowed} under both tools" if args.cpus_allowed else "job threads where the scheduler puts them"


def pair_job_file(path, engine, depth, args):
    """The job file both tools run: [global] shared, the reader and the writer in one group."""
    with open(path, "w") as fh:
        fh.write(f"[global]\nioengine={engine}\niodepth={depth}\ndirect=1\nbs=4k\nsize={args.write_size or args.size}\n"
                 f"filename={os.path.abspath(args.write_filename)}\ntime_based\nruntime={args.runtime}\n"
                 + (f"cpus_allowed={args.cpus_allowed}\n" if args.cpus_allowed else "")
                 + "[reader]\nrw=randread\n[writer]\nrw=randwrite\n")


def concurrent_main(args, lay_out_write_file):
    """Per pair and round, both tools on the same job file (alternating which goes first); the
    table gives each job's median IOPS under each tool and the paired ratio."""
    pairs = [p for p in args.pairs.split(",") if p]
    for p in pairs:
        if p not in PAIRS:
            sys.exit(f"bench_vs_fio: unknown pair '{p}'; choose from {','.join(PAIRS)}")
    fd, job_file = tempfile.mkstemp(prefix="bench-vs-fio-pair-", suffix=".fio")
    os.close(fd)
    try:
        iops = concurrent_rounds(args, pairs, job_file, lay_out_write_file)
    finally:
        os.remove(job_file)
    os.remove(args.write_filename)
    lay_out_write_file()
    concurrent_table(args, pairs, iops)


def concurrent_rounds(args, pairs, job_file, lay_out_write_file):
    """Each tool's reader and writer IOPS per pair and round."""
    iops = {p: {t: {"reader": [], "writer": []} for t in ("fio", "ub")} for p in pairs}
    for r in range(args.rounds):
        for p in pairs:
            pair_job_file(job_file, *PAIRS[p], args)
            order = ["fio", "ub"] if r % 2 == 0 else ["ub", "fio"]
            for tool in order:
                # Each run starts from a fresh uringbench layout (fio writes its own bytes).
                os.remove(args.write_filename)
                lay_out_write_file()
                cmd = [args.fio, job_file, "--output-format=json"] if tool == "fio" else [args.uringbench, "run", job_file, "--output-format", "json"]
                out, _, _ = run_measured(cmd)
                jobs = {j["jobname"]: j for j in json.loads(out)["jobs"]}
                iops[p][tool]["reader"].append(jobs["reader"]["read"]["iops"])
                iops[p][tool]["writer"].append(jobs["writer"]["write"]["iops"])
                print(f"round {r + 1} {p:9s} {tool:4s} reader IOPS {iops[p][tool]['reader'][-1]:10.0f}  writer IOPS {iops[p][tool]['writer'][-1]:10.0f}",
                      file=sys.stderr, flush=True)
    return iops


def concurrent_table(args, pairs, iops):
    """The two-job table: each job's median IOPS under each tool and the paired ratio."""
    lines = [f"uringbench vs {args.fio_version[0]}, a reader and a writer at once on one O_DIRECT file ({args.write_size or args.size}), 4k, "
             f"{args.runtime}s per run, {args.rounds} interleaved rounds, {pinning(args)}; medians (ratio = uringbench/fio, per-round paired)", "",
             "| engine | iodepth per job | job | fio IOPS | uringbench IOPS | IOPS ratio |", "|---|---:|---|---:|---:|---:|"]
    for p in pairs:
        for job in ("reader", "writer"):
            f, u = iops[p]["fio"][job], iops[p]["ub"][job]
            ratios = [b / a for a, b in zip(f, u) if a]
            ratio = f"{statistics.median(ratios):.2f}" if ratios else "nan"
            lines.append(f"| {p} | {PAIRS[p][1]} | {job} | {statistics.median(f):,.0f} | {statistics.median(u):,.0f} | {ratio} |")
    emit("\n".join(lines), args)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrent", action="store_true", help="the two-job rows (reader + writer on one file) instead")
    ap.add_argument("--pairs", default=",".join(PAIRS), help="with --concurrent: the engines of the two-job rows")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runtime", type=int, default=5, help="seconds per run")
    ap.add_argument("--size", default="1G")
    ap.add_argument("--filename", default="bench.dat")
    ap.add_argument("--jobs", help="the rows to run, comma-separated (default: every row the fio can run)")
    ap.add_argument("--fio", default="fio", help="the fio binary both tables run (default: fio on PATH)")
    ap.add_argument("--uringbench", default=".build/release/uringbench")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--write-filename", default="bench-writes.dat",
                    help="the file write jobs write to: laid out by uringbench, and laid out again before each write run")
    ap.add_argument("--write-size", help="its size (default: --size)")
    ap.add_argument("--io-size", default="512M", help="bytes each size-bound job issues (fio's io_size)")
    ap.add_argument("--task-clock", action="store_true",
                    help="CPU per IO from `perf stat -e task-clock` (the scheduler's on-CPU time) instead of wait4's "
                         "user + system time, and user-space CPU from perf's user_time; there is no kernel column (the two clocks disagree)")
    ap.add_argument("--cpus-allowed", help="run both tools' job threads on these CPUs (fio's cpus_allowed), e.g. 1: "
                    "a QD1 job's latency depends on whether its thread shares the CPU that takes the disk's interrupt")
    args = ap.parse_args()
    names = [j for j in (args.jobs or ",".join(JOBS)).split(",") if j]
    for n in names:
        if n not in JOBS:
            sys.exit(f"bench_vs_fio: unknown job '{n}'; choose from {','.join(JOBS)}")
    if args.rounds < 1:
        sys.exit("bench_vs_fio: --rounds must be at least 1")
    fio = shutil.which(args.fio)
    if not fio:
        sys.exit(f"bench_vs_fio: fio not found at '{args.fio}'; install it (apt-get install fio), run `make bench-vs-fio`, or give --fio PATH")
    args.fio = fio
    args.fio_version = fio_version(fio)
    lacking = args.lacking = lacks_dontcache(args.fio_version)
    # Left out of the default set with a note in the header; asked for by name, refused.
    args.left_out = [n for n in names if n in UNCACHED and lacking and args.jobs is None]
    names = [n for n in names if n not in args.left_out]
    for n in names:
        if n in UNCACHED and lacking:
            sys.exit(f"bench_vs_fio: the row {n} {lacking}")
    if not args.concurrent and any(n in UNCACHED for n in names) and not shutil.which("fincore"):
        sys.exit("bench_vs_fio: the uncached rows check the page cache with fincore; install util-linux")
    if args.task_clock and not shutil.which("perf"):
        sys.exit("bench_vs_fio: --task-clock runs both tools under perf stat; install perf (apt-get install linux-perf) or run without it")
    if not os.path.exists(args.uringbench):
        sys.exit(f"bench_vs_fio: {args.uringbench} not found; run `swift build -c release` first")

    # Write jobs use a file of their own. fio writes its own bytes, so before every write run the
    # file is laid out again (and once at the end): uringbench writes only to files it laid out,
    # its reads verify, and every run of either tool starts from the same fresh file.
    wargs = argparse.Namespace(**{**vars(args), "filename": args.write_filename, "size": args.write_size or args.size})

    def lay_out_write_file():
        run_measured(layout_cmd(ub_cmd(wargs, "psync")))

    if args.concurrent or any(writes(n) for n in names):
        lay_out_write_file()
        # uringbench refuses (and this stops) unless the file is its own: only then is it
        # removed and laid out again below.
        run_measured(layout_cmd(reshape_ub(ub_cmd(wargs, "randwrite_psync"), "randwrite_psync")))
    if args.concurrent:
        return concurrent_main(args, lay_out_write_file)

    # uringbench lays the file out (pattern, fsync) if it is missing; fio then reads the same file.
    run_measured(layout_cmd(ub_cmd(args, "psync")))

    def load():
        return os.getloadavg()[0]

    def warm_page_cache():
        # O_DIRECT jobs drop the file's cached pages first (fio's and our default invalidate=1),
        # so the page-cache job re-reads the whole file, buffered, right before it runs.
        subprocess.run(["dd", f"if={args.filename}", "of=/dev/null", "bs=1M", "status=none"], check=True)

    samples = {n: {"fio": [], "ub": []} for n in names}
    loads = {n: [] for n in names}
    started = time.time()
    for r in range(args.rounds):
        for n in names:
            order = [("fio", fio_cmd), ("ub", ub_cmd)]
            if r % 2:
                order.reverse()
            loads[n].append(load())
            for tool, build in order:
                if not JOBS[n][3] and n not in UNCACHED:
                    warm_page_cache()
                reshape = reshape_fio if tool == "fio" else reshape_ub
                if writes(n):
                    # Each tool's write run starts from a fresh layout, so neither runs right
                    # after a layout the other did not get (the host's flush of it slows writes).
                    os.remove(args.write_filename)
                    lay_out_write_file()
                out, cpu, user = run_measured(reshape(build(wargs if writes(n) else args, n), n), args.task_clock)
                s = summarize(json.loads(out), cpu, user, shape(n)[3])
                samples[n][tool].append(s)
                if n in UNCACHED:
                    require_uncached(args.filename, n, tool)
                if n in SIZE_BOUND and len(samples[n]["fio"]) == len(samples[n]["ub"]):
                    # The same job issues the same IOs under both tools, or the row compares nothing.
                    f_ios, u_ios = samples[n]["fio"][-1]["ios"], samples[n]["ub"][-1]["ios"]
                    if f_ios != u_ios:
                        sys.exit(f"bench_vs_fio: {n}: fio issued {f_ios} IOs and uringbench {u_ios} on the same size-bound job")
                print(f"round {r + 1} {n:16s} {tool:4s} IOPS {s['iops']:10.0f}  cpu/IO {s['cpu_us_per_io']:6.2f} us (user {s['user_us_per_io']:5.2f})"
                      f"  p50 {s['p50_us']:8.1f} us  p99 {s['p99_us']:8.1f} us  load {load():.2f}", file=sys.stderr, flush=True)
            loads[n].append(load())

    if any(writes(n) for n in names):
        # fio's writes leave bytes uringbench did not write: lay the file out once more.
        os.remove(args.write_filename)
        lay_out_write_file()

    def med(xs):
        return statistics.median(xs)

    lines = [
        f"uringbench vs fio {args.fio_version[0]}: "
        f"O_DIRECT unless noted, {args.size} file ({wargs.size} for writes), {args.runtime}s per run, {args.rounds} interleaved rounds; "
        f"kernel {os.uname().release}, {os.cpu_count()} CPUs"
        + f", {pinning(args)}"
        + ("; CPU per IO by perf stat's task-clock, user-space CPU by its user_time" if args.task_clock else "")
        + "; medians (ratio = uringbench/fio, per-round paired, min–max)"
        + (f"; not run: {', '.join(args.left_out)} (each {args.lacking})" if args.left_out else ""),
        "",
        "| job | rw, bs | iodepth | fio IOPS | uringbench IOPS | IOPS ratio | fio CPU µs/IO | uringbench CPU µs/IO | CPU/IO ratio | user CPU/IO ratio | kernel CPU/IO ratio | clat p50 fio / ub (µs) | p50 ratio | clat p99 fio / ub (µs) | p99 ratio | load avg |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in names:
        f, u = samples[n]["fio"], samples[n]["ub"]

        def ratio(key):
            rs = [b[key] / a[key] for a, b in zip(f, u) if a[key]]
            return (med(rs), min(rs), max(rs)) if rs else (float("nan"),) * 3

        def fmt(t):
            return f"{t[0]:.2f} ({t[1]:.2f}–{t[2]:.2f})"

        lines.append(
            f"| {n} | {describe(n)} | {depth_text(n)} | {med([s['iops'] for s in f]):,.0f} | {med([s['iops'] for s in u]):,.0f} | {fmt(ratio('iops'))} "
            f"| {med([s['cpu_us_per_io'] for s in f]):.2f} | {med([s['cpu_us_per_io'] for s in u]):.2f} | {fmt(ratio('cpu_us_per_io'))} "
            f"| {fmt(ratio('user_us_per_io'))} | {'—' if args.task_clock else fmt(ratio('system_us_per_io'))} "
            f"| {us(med([s['p50_us'] for s in f]))} / {us(med([s['p50_us'] for s in u]))} | {fmt(ratio('p50_us'))} "
            f"| {us(med([s['p99_us'] for s in f]))} / {us(med([s['p99_us'] for s in u]))} | {fmt(ratio('p99_us'))} "
            f"| {min(loads[n]):.1f}–{max(loads[n]):.1f} |")
    lines.append("")
    lines.append(f"(measured in {time.time() - started:.0f} s)")
    emit("\n".join(lines), args)


if __name__ == "__main__":
    main()
