#!/usr/bin/env bash
# The static binary runs where Swift, liburing and libaio are absent.
#
# Builds a chroot that holds only the shared libraries `ldd` names for the static binary (glibc),
# then, in a private mount namespace (so nothing stays mounted), runs `engines`, `randread` and
# `compare` there with an empty environment and an empty LD_LIBRARY_PATH, and checks what they
# printed. The dynamic build must fail in the same chroot: that proves the libraries it needs are
# really invisible there. Needs root (unshare -m, chroot).
#
# usage: scripts/dist_test.sh dist/uringbench .build/debug/uringbench
set -euo pipefail

static_bin=${1:?usage: $0 <static binary> <dynamic binary>}
dynamic_bin=${2:?usage: $0 <static binary> <dynamic binary>}
[ "$(id -u)" = 0 ] || { echo "dist-test: needs root (unshare -m and chroot); run it with sudo"; exit 1; }
for b in "$static_bin" "$dynamic_bin"; do [ -x "$b" ] || { echo "dist-test: $b is not an executable; run make dist first"; exit 1; }; done

fail() { echo "dist-test: FAIL: $*"; exit 1; }

echo "== ldd $static_bin"
ldd "$static_bin"
# Only glibc's own libraries (and the kernel's vDSO) may be left dynamic.
if others=$(ldd "$static_bin" | grep -Ev '^\s*(linux-vdso\.so|/lib64/ld-linux|(libc|libm|libdl|libpthread|librt)\.so)'); then
    fail "ldd lists more than glibc: $others"
fi

# On disk, not tmpfs: randread uses O_DIRECT.
root=$(mktemp -d "${TMPDIR:-/var/tmp}/uringbench-dist-test.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{proc,sys,dev,tmp,data}
# Exactly the libraries ldd resolves for the static binary, and the dynamic loader.
for lib in $(ldd "$static_bin" | grep -o '/[^ )]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
cp "$static_bin" "$root/uringbench"
cp "$dynamic_bin" "$root/uringbench-dynamic"
echo "== the chroot holds:"
(cd "$root" && find . -type f ! -path './data/*' | sort)

# Inside the namespace: /proc and /sys for the engines' probes and the machine description.
inside() {
    unshare -m bash -c '
        set -e
        root=$1; chroot_bin=$2; shift 2
        mount --make-rprivate /
        mount -t proc proc "$root/proc"
        mount --rbind /sys "$root/sys"
        mount --bind /dev "$root/dev"
        exec env -i LD_LIBRARY_PATH= PATH=/ "$chroot_bin" "$root" "$@"
    ' inside "$root" "$(command -v chroot)" "$@"
}

echo "== dynamic build in the chroot (must fail: its libraries are absent)"
if out=$(inside /uringbench-dynamic engines 2>&1); then
    echo "$out"; fail "the dynamic build ran in the chroot, so the libraries are not hidden"
fi
echo "$out"
echo "$out" | grep -q 'error while loading shared libraries' || fail "the dynamic build failed for another reason"

echo "== uringbench --version"
inside /uringbench --version

echo "== uringbench engines"
out=$(inside /uringbench engines)
echo "$out"
for engine in psync libaio io_uring io_uring_sqpoll posixaio; do
    echo "$out" | grep -Eq "^$engine +available" || fail "engines: $engine is not available in the chroot"
done
echo "$out" | grep -q 'linked into the executable' || fail "engines: liburing is not reported as linked in"

echo "== uringbench randread (io_uring, QD8, 2 s, 64 MiB, --verify)"
out=$(inside /uringbench randread --engine io_uring --iodepth 8 --runtime 2s --size 64M \
      --filename /data/dist-test.dat --verify)
echo "$out"
iops=$(echo "$out" | sed -n 's/.*IOPS=\([0-9.]*[kM]\{0,1\}\),.*/\1/p' | head -1)
[ -n "$iops" ] && [ "$iops" != 0 ] || fail "randread printed no IOPS"
echo "$out" | grep -Eq '^uringbench-[0-9]+\.[0-9]+\.[0-9]+\+git\.' || fail "randread's report has no version line"
echo "$out" | grep -q 'verify' || fail "randread did not report its verify"

echo "== uringbench compare (all four engines, QD8, 1 s, 1 round)"
inside /uringbench compare --engines psync,libaio,io_uring,io_uring_sqpoll --iodepth 8 --runtime 1s \
    --rounds 1 --size 64M --filename /data/dist-test.dat --output /data/compare.json
python3 - "$root/data/compare.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
engines = sorted({j["uringbench"]["job"]["engine"] for j in doc["jobs"]})
assert engines == ["io_uring", "io_uring_sqpoll", "libaio", "psync"], engines
for j in doc["jobs"]:
    assert j["read"]["total_ios"] > 0 and j["read"]["iops"] > 0, j["jobname"]
    # The binary that measured it, traceable: release+git.<commit>[.dirty]
    assert j["uringbench"]["uringbenchVersion"].startswith("0.1.0+git."), j["uringbench"]["uringbenchVersion"]
assert doc["fio version"].startswith("uringbench-0.1.0+git."), doc["fio version"]
print("compare.json: %d runs, engines %s, IOPS %s" % (len(doc["jobs"]), ",".join(engines),
      ", ".join("%.0f" % j["read"]["iops"] for j in doc["jobs"])))
EOF
echo "dist-test: PASS ($(stat -c %s "$static_bin") bytes, runs with only glibc)"
