#!/usr/bin/env python3
"""Job-file compatibility: the same fio job files under fio and under uringbench.

For each job file: whether both tools accept it (each one's --parse-only), and for a file both
accept, the jobs run under both tools, interleaved over rounds (alternating which goes first;
uringbench first in the first round, so every data file is one uringbench laid out), and per job
the median of the paired ratios uringbench/fio for IOPS and clat p50, and the bytes per IO of each
tool (io_bytes / total_ios over reads and writes, from each tool's JSON). Targets: bytes per IO
equal exactly, IOPS within 5% on O_DIRECT jobs, p50 within 10%.

With --examples DIR it also reads every *.fio in DIR (e.g. fio's own examples/) with both
parsers only, and counts the files each accepts and why uringbench refuses the others.

Runs happen in --workdir (the job files' relative file names resolve there); the only files the
script removes are the scratch data files named in --scratch-write (laid out again by uringbench
before each of its runs, because fio's writes replace the header that marks a file as one
uringbench laid out, and uringbench writes only to such files).

Usage: scripts/fio_compat.py [--configs bench-configs/compat] [--rounds 3] [--examples DIR]
                             [--workdir .compat] [--uringbench .build/release/uringbench]
                             [--markdown FILE]
"""
import argparse
import collections
import glob
import json
import os
import re
import statistics
import subprocess
import sys

IOPS_TOLERANCE = 0.05
P50_TOLERANCE = 0.10


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def first_error_line(text):
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("job ") and "laid out" not in line:
            return line
    return text.strip().splitlines()[-1] if text.strip() else ""


def accepts(args, path):
    """(fio accepts, uringbench accepts, uringbench's reason when it refuses)."""
    fio_rc, fio_out, fio_err = run(["fio", "--parse-only", path], args.workdir)
    ub_rc, _, ub_err = run([args.uringbench, "run", "--parse-only", path], args.workdir)
    # fio prints parse errors on stdout or stderr and may still exit 0 after dropping a job.
    fio_ok = fio_rc == 0 and "job dropped" not in fio_out + fio_err
    return fio_ok, ub_rc == 0, "" if ub_rc == 0 else first_error_line(ub_err)


def figures(job):
    """IOPS, clat p50 (ns), bytes per IO and total IOs of one job of a fio-schema JSON."""
    ios = 0
    nbytes = 0
    iops = 0.0
    p50 = None
    for direction in ("read", "write"):
        d = job.get(direction) or {}
        ios += d.get("total_ios", 0)
        nbytes += d.get("io_bytes", 0)
        iops += d.get("iops", 0.0)
        pct = (d.get("clat_ns") or {}).get("percentile") or {}
        if p50 is None and d.get("total_ios", 0) > 0 and "50.000000" in pct:
            p50 = pct["50.000000"]
    return {"iops": iops, "p50": p50, "bytes_per_io": nbytes / ios if ios else None, "ios": ios}


def run_json(cmd, cwd, what):
    rc, out, err = run(cmd, cwd)
    if rc != 0:
        raise RuntimeError(f"{what} failed ({rc}): {first_error_line(err) or first_error_line(out)}")
    start = out.find("{")    # fio may print notes before its JSON
    return json.loads(out[start:])["jobs"]


def is_direct(path):
    """Whether every job of the file is O_DIRECT (as both tools read it: direct=1 or buffered=0)."""
    text = open(path).read()
    return bool(re.search(r"^\s*(direct\s*=\s*1|buffered\s*=\s*0)", text, re.M))


def measure(args, path):
    """Per job: lists of (fio, uringbench) figures over the rounds."""
    per_job = collections.defaultdict(list)
    names = []
    for r in range(args.rounds):
        order = ("ub", "fio") if r % 2 == 0 else ("fio", "ub")
        result = {}
        for tool in order:
            if tool == "ub":
                for scratch in args.scratch_write:
                    target = os.path.join(args.workdir, scratch)
                    if os.path.exists(target):
                        os.remove(target)
                result["ub"] = run_json([args.uringbench, "run", "--output-format", "json", path], args.workdir, "uringbench")
            else:
                result["fio"] = run_json(["fio", "--output-format=json", path], args.workdir, "fio")
        if len(result["fio"]) != len(result["ub"]):
            raise RuntimeError(f"fio reported {len(result['fio'])} jobs, uringbench {len(result['ub'])}")
        names = [j.get("jobname", "?") for j in result["fio"]]
        for i, (f, u) in enumerate(zip(result["fio"], result["ub"])):
            if f.get("jobname") != u.get("jobname"):
                raise RuntimeError(f"job {i + 1} is '{f.get('jobname')}' to fio and '{u.get('jobname')}' to uringbench")
            per_job[i].append((figures(f), figures(u)))
    return names, per_job


def ratio(pairs, key):
    rs = [u[key] / f[key] for f, u in pairs if f[key] and u[key] is not None]
    return statistics.median(rs) if rs else None


def fmt_ratio(x):
    return "–" if x is None else f"{x:.3f}"


def fmt_bytes(values):
    vs = sorted(set(values))
    return "–" if not vs else ", ".join(f"{v:g}" for v in vs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--configs", default="bench-configs/compat")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--examples", help="a directory of fio job files to parse with both tools (e.g. fio's examples/)")
    ap.add_argument("--workdir", default=".compat")
    ap.add_argument("--uringbench", default=".build/release/uringbench")
    ap.add_argument("--scratch-write", action="append", default=None,
                    help="a data file of the write jobs, removed before each uringbench run (default: compat-write.dat, ssd.test.file and tiobench's f1.N.0, f2.N.0)")
    ap.add_argument("--markdown", help="also write the tables to this file")
    args = ap.parse_args()
    if args.rounds < 1:
        sys.exit("fio_compat: --rounds must be at least 1")
    # The files the write jobs of bench-configs/compat write: ssd-test's one file, tiobench's
    # writers' own files (fio's default names, four threads each).
    args.scratch_write = args.scratch_write or (["compat-write.dat", "ssd.test.file"]
                                                + [f"f{j}.{n}.0" for j in (1, 2) for n in range(4)])
    args.uringbench = os.path.abspath(args.uringbench)
    if not os.access(args.uringbench, os.X_OK):
        sys.exit(f"fio_compat: {args.uringbench} is not an executable; build it (swift build -c release) or pass --uringbench")
    os.makedirs(args.workdir, exist_ok=True)

    lines = ["| file | job | same options understood | IOPS ratio | p50 ratio | bytes/IO fio | bytes/IO uringbench | within target |",
             "|---|---|---|---|---|---|---|---|"]
    misses = 0
    for path in sorted(glob.glob(os.path.join(os.path.abspath(args.configs), "*.fio"))):
        name = os.path.basename(path)
        fio_ok, ub_ok, reason = accepts(args, path)
        if not (fio_ok and ub_ok):
            same = "yes (both refuse)" if fio_ok == ub_ok else "no"
            lines.append(f"| {name} | – | {same}: fio {'accepts' if fio_ok else 'refuses'}, uringbench {'accepts' if ub_ok else 'refuses: ' + reason} | | | | | |")
            misses += fio_ok != ub_ok
            continue
        try:
            jobs, per_job = measure(args, path)
        except RuntimeError as e:
            lines.append(f"| {name} | – | yes | run failed: {e} | | | | no |")
            misses += 1
            continue
        direct = is_direct(path)
        for i, job in enumerate(jobs):
            pairs = per_job[i]
            iops, p50 = ratio(pairs, "iops"), ratio(pairs, "p50")
            fio_bpi = [f["bytes_per_io"] for f, _ in pairs if f["bytes_per_io"]]
            ub_bpi = [u["bytes_per_io"] for _, u in pairs if u["bytes_per_io"]]
            ok_bytes = bool(fio_bpi) and set(fio_bpi) == set(ub_bpi)
            ok_iops = iops is not None and (not direct or abs(iops - 1) <= IOPS_TOLERANCE)
            ok_p50 = p50 is None or abs(p50 - 1) <= P50_TOLERANCE
            verdict = "yes" if ok_bytes and ok_iops and ok_p50 else "no: " + ", ".join(
                w for w, ok in (("bytes/IO", ok_bytes), ("IOPS", ok_iops), ("p50", ok_p50)) if not ok)
            misses += not (ok_bytes and ok_iops and ok_p50)
            lines.append(f"| {name} | {job} | yes | {fmt_ratio(iops)}{'' if direct else ' (buffered)'} | {fmt_ratio(p50)} | "
                         f"{fmt_bytes(fio_bpi)} | {fmt_bytes(ub_bpi)} | {verdict} |")
        print("\n".join(lines[-len(jobs):]), flush=True)

    out = ["## Job files under both tools", "", f"{args.rounds} interleaved rounds; ratios are uringbench / fio, medians of the paired ratios.", ""] + lines
    if args.examples:
        files = sorted(glob.glob(os.path.join(os.path.abspath(args.examples), "*.fio")))
        both = fio_only = ub_only = neither = 0
        reasons = collections.Counter()
        accepted = []
        for path in files:
            fio_ok, ub_ok, reason = accepts(args, path)
            if fio_ok and ub_ok:
                accepted.append(os.path.basename(path))
            both += fio_ok and ub_ok
            fio_only += fio_ok and not ub_ok
            ub_only += ub_ok and not fio_ok
            neither += not fio_ok and not ub_ok
            if not ub_ok:
                m = re.search(r"unsupported option '([^']+)'", reason)
                if m:
                    reasons[f"unsupported option `{m.group(1)}`"] += 1
                else:
                    # The cause without file, line and job: "no time_based: …" and the like.
                    cause = re.sub(r"^.*?\.fio:\d+: (job '[^']*': )?", "", reason)
                    cause = re.sub(r"'[^']*'", "'…'", cause.split(";")[0])
                    cause = re.sub(r"\b(\w+)=\S+", r"\1=…", cause)
                    reasons[cause[:90]] += 1
        out += ["", f"## {len(files)} job files of {args.examples}: parsed by both tools", "",
                "| accepted by | files |", "|---|---|",
                f"| both | {both} |", f"| fio only (uringbench refuses by name) | {fio_only} |",
                f"| uringbench only | {ub_only} |", f"| neither | {neither} |", "",
                "Accepted by both: " + (", ".join(f"`{a}`" for a in accepted) or "none") + ".", "",
                "| uringbench's first refusal in the file | files |", "|---|---|"]
        out += [f"| {r} | {n} |" for r, n in reasons.most_common()]
    text = "\n".join(out) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
