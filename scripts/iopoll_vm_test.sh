#!/usr/bin/env bash
# IOPOLL where the machine has no device with poll queues: boots a throwaway QEMU guest (Debian's
# kernel, busybox, an emulated NVMe disk whose driver gets a poll queue) and runs the static
# uringbench in it. A virtio disk, a loop device or zram has no poll queues, so on a VM whose
# kernel has neither null_blk nor NVMe `--hipri` can only be refused on the host itself.
#
#   scripts/iopoll_vm_test.sh dist/uringbench             the checks (make iopoll-test)
#   scripts/iopoll_vm_test.sh dist/uringbench FIO ROUNDS  also ROUNDS interleaved rounds of fio
#                                                         (a build that runs on QEMU's CPU, e.g.
#                                                         ./configure --disable-native) against
#                                                         uringbench, IOPOLL and interrupt-driven
#
# Checked: the disk's queue/io_poll is 1; io_uring and io_uring_sqpoll with --hipri run with
# IORING_SETUP_IOPOLL and their verified writes read back with no mismatch; pvsync2 --hipri
# polls and is not reported as ignored; --hipri with buffered IO is still refused. Then, on the
# host, every sector of the disk image is read independently of uringbench: each sector that
# carries the pattern's magic holds its own offset and a right crc32c, and they are exactly the
# job's region. The guest runs under QEMU's emulator (TCG), so its speeds say nothing about a
# real disk; KVM is not used, as nested guests do not boot on every host.
set -euo pipefail

UB=$(readlink -f "${1:?usage: iopoll_vm_test.sh UB_STATIC_BINARY [FIO ROUNDS]}")
FIO=${2:+$(readlink -f "$2")}
ROUNDS=${3:-3}
WORK=$(readlink -f "${IOPOLL_WORK:-.build-iopoll}")
REGION_MIB=64

fail() { echo "iopoll-test: FAIL: $*" >&2; exit 1; }
[ -x "$UB" ] || fail "no executable at $UB; build it with make dist"
[ -z "$FIO" ] || [ -x "$FIO" ] || fail "no executable fio at $2"
# The script removes and remakes what it puts in WORK (root, kernel, mods, nvme.img): only in a
# directory that is new, empty, or marked as its own.
mkdir -p "$WORK"
if [ ! -e "$WORK/.uringbench-iopoll" ] && [ -n "$(ls -A "$WORK")" ]; then
    fail "$WORK holds files this script did not make; set IOPOLL_WORK to a new or empty directory"
fi
touch "$WORK/.uringbench-iopoll"

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q "statically linked" || missing+=(busybox-static)
command -v file >/dev/null || missing+=(file)
if [ ${#missing[@]} -gt 0 ]; then
    echo "iopoll-test: installing ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
file -L /bin/busybox | grep -q "statically linked" || fail "/bin/busybox is not the static busybox (apt-get install busybox-static)"
ldd "$UB" 2>&1 | grep -q "libswiftCore" && fail "$UB links the Swift runtime dynamically; pass the static build (make dist)"

cd "$WORK"

# Debian's own kernel: NVMe as a module, so it takes poll_queues at load.
if ! ls kernel/boot/vmlinuz-* >/dev/null 2>&1; then
    pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$pkg" ] || fail "apt-cache names no kernel package behind linux-image-amd64"
    rm -f linux-image-*.deb
    apt-get download "$pkg" >/dev/null 2>download.log || { apt-get update -qq >/dev/null; apt-get download "$pkg" >/dev/null 2>download.log; } \
        || fail "apt-get download $pkg failed (see $WORK/download.log)"
    rm -rf kernel && dpkg-deb -x linux-image-*.deb kernel
fi
vmlinuz=$(ls kernel/boot/vmlinuz-* | head -1)
modroot=$(ls -d kernel/lib/modules/*/kernel | head -1)

# A module and what it needs first, by the depends= of each .ko ('-' and '_' are one).
declare -A loaded=()
order=()
add_module() {
    local name=${1//_/-} path dep
    [ -n "${loaded[$name]:-}" ] && return 0
    loaded[$name]=1
    path=$(find "$modroot" \( -name "$name.ko*" -o -name "${name//-/_}.ko*" \) | head -1)
    [ -n "$path" ] || return 0   # built in
    case "$path" in   # newer Debian kernels ship modules compressed; busybox insmod wants them plain
        *.ko.xz) xz -dc "$path" > "mods/$(basename "$path" .xz)"; path="mods/$(basename "$path" .xz)" ;;
        *.ko.zst) zstd -qdc "$path" > "mods/$(basename "$path" .zst)"; path="mods/$(basename "$path" .zst)" ;;
    esac
    for dep in $(strings "$path" | sed -n 's/^depends=//p' | tr ',' ' '); do add_module "$dep"; done
    order+=("$path")
}
rm -rf mods && mkdir mods
# The crc providers the integrity code looks up by name (soft dependencies), then the driver.
for m in crct10dif_generic crc64_rocksoft_generic nvme; do add_module "$m"; done

rm -rf root && mkdir -p root/bin root/modules root/proc root/sys root/dev root/tmp
cp /bin/busybox root/bin/busybox
cp "$UB" root/uringbench
modules=""
for p in "${order[@]}"; do cp "$p" root/modules/; modules+=" $(basename "$p" .ko)"; done
[ -n "$FIO" ] && cp "$FIO" root/fio
# What the binaries load (the static uringbench still loads glibc).
for lib in $(ldd "$UB" ${FIO:+"$FIO"} | grep -o '/lib[^ ]*' | sort -u); do
    mkdir -p "root$(dirname "$lib")"
    cp -L "$lib" "root$lib"
done

cat > root/init <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
for m in$modules; do
    if [ \$m = nvme ]; then insmod /modules/\$m.ko poll_queues=1; else insmod /modules/\$m.ko; fi
done
# insmod returned after the probe here (0 s waited, also with the host's two cores busy); the
# wait, up to 180 s, is for a kernel that probes in the background. The guest says how long.
i=0; while [ ! -b /dev/nvme0n1 ] && [ \$i -lt 900 ]; do sleep 0.2; i=\$((i+1)); done
echo "=== nvme"
echo "waited \$((i / 5)) s for /dev/nvme0n1"
dmesg | grep -i nvme
sh /guest.sh
echo "=== kernel errors"
dmesg -r | grep "^<[0-3]>"
echo "=== end"
poweroff -f
EOF
chmod +x root/init

cat > root/guest.sh <<EOF
UB=/uringbench; D=/dev/nvme0n1; R=${REGION_MIB}M
run() { name=\$1; shift; echo "=== \$name"; "\$@" > /tmp/out 2>&1; echo "exit \$?" >> /tmp/out; cat /tmp/out; }
echo "=== io_poll \$(cat /sys/block/nvme0n1/queue/io_poll)"
run engines \$UB engines
run randread \$UB randread --engine io_uring --hipri --iodepth 32 --filename \$D --size 512M --runtime 3s
run randwrite \$UB randwrite --engine io_uring --hipri --iodepth 16 --filename \$D --size \$R --loops 1 --runtime 0 --allow-overwrite --verify
run sqpoll \$UB randwrite --engine io_uring_sqpoll --hipri --iodepth 16 --filename \$D --size \$R --loops 1 --runtime 0 --allow-overwrite --verify
run pvsync2 \$UB randread --engine pvsync2 --hipri --filename \$D --size 512M --runtime 2s
run buffered \$UB randread --engine io_uring --hipri --direct 0 --filename \$D --size \$R --runtime 1s
EOF
if [ -n "$FIO" ]; then
    cat >> root/guest.sh <<EOF
for r in \$(seq $ROUNDS); do for h in 1 0; do
    hf=""; [ \$h = 1 ] && hf="--hipri"
    echo "=== pair ub hipri=\$h round=\$r"
    \$UB randread --engine io_uring \$hf --iodepth 32 --filename \$D --size 512M --runtime 5s --output-format json 2>/tmp/err | tr -d '\n'; echo
    echo "=== pair fio hipri=\$h round=\$r"
    /fio --name=randread --filename=\$D --size=512M --time_based --runtime=5 --rw=randread --bs=4k --iodepth=32 --direct=1 --randrepeat=0 --ioengine=io_uring --hipri=\$h --output-format=json 2>/tmp/err | tr -d '\n'; echo
done; done
EOF
fi
(cd root && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > ../initramfs.gz)

rm -f nvme.img && truncate -s 1G nvme.img
echo "iopoll-test: booting $(basename "$vmlinuz") under QEMU (TCG), NVMe with poll_queues=1"
# loglevel=1: the kernel's own messages (an RCU stall when the host is busy) share the console with
# the guest's output and would split its lines; the guest prints its kernel's errors at the end.
timeout 900 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd initramfs.gz -append "console=ttyS0 panic=-1 quiet loglevel=1" \
    -drive file=nvme.img,if=none,id=nv0,format=raw,cache=none \
    -device nvme,serial=uringbench,drive=nv0,max_ioqpairs=4 > console.txt 2>&1 \
    || fail "QEMU did not finish (see $WORK/console.txt)"
# Without the console's escape sequences (screen clears, progress lines).
sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g; s/\r//g' console.txt > guest.txt
# The lines of one section of guest.txt.
section() { awk -v s="=== $1" '$0 == s {on=1; next} /^=== / {on=0} on' guest.txt; }
if ! grep -q "^=== end" guest.txt; then
    tail -n 20 guest.txt | sed 's/^/iopoll-test: guest: /' >&2
    fail "the guest did not finish its checks (its last lines above; all in $WORK/guest.txt)"
fi

expect() { section "$1" | grep -q -- "$2" || fail "$1: no '$2' in its output (see $WORK/guest.txt)"; }
refuse() { section "$1" | grep -q -- "$2" && fail "$1: '$2' in its output (see $WORK/guest.txt)"; return 0; }

if ! grep -q "^=== io_poll 1$" guest.txt; then
    { grep "^=== io_poll" guest.txt; section nvme; } | sed 's/^/iopoll-test: guest: /' >&2
    fail "nvme0n1's queue/io_poll is not 1: the guest's disk got no poll queue (its kernel's lines above; all in $WORK/guest.txt)"
fi
expect engines "queue/io_poll: nvme0n1=1 — poll queues on nvme0n1: io_uring --hipri (IOPOLL) and pvsync2 --hipri poll there"
expect randread "^exit 0$"
expect randread "flags=IOPOLL"
expect randread "err= 0"
for s in randwrite sqpoll; do
    expect $s "^exit 0$"
    expect $s "read back after the run and checked, 0 mismatches"
done
expect randwrite "flags=IOPOLL"
expect sqpoll "flags=IOPOLL|SQPOLL"
expect pvsync2 "^exit 0$"
expect pvsync2 "RWF_HIPRI polls nvme0n1 queue/io_poll=1"
refuse pvsync2 "ignored"
expect buffered "^exit 1$"
expect buffered "buffered IO has none to poll"
echo "iopoll-test: in the guest: IOPOLL reads, verified IOPOLL writes (io_uring, io_uring_sqpoll) and pvsync2 RWF_HIPRI ran; buffered --hipri refused"

# The image, read here: sectors with the pattern's magic hold their own offset and a right
# crc32c, and they are exactly the first REGION_MIB MiB (the writes stayed in the job's region).
python3 - nvme.img $REGION_MIB <<'EOF' || fail "the disk image does not hold the pattern the guest's IOPOLL writes verified"
import struct, sys
MAGIC = 0x3348434E45425255
table = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    table.append(c)
def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF
path, region = sys.argv[1], int(sys.argv[2]) << 20
marked = bad = outside = 0
with open(path, "rb") as f:
    offset = 0
    while chunk := f.read(1 << 20):
        for i in range(0, len(chunk), 512):
            s = chunk[i:i + 512]
            if struct.unpack_from("<Q", s, 0)[0] != MAGIC:
                continue
            at = offset + i
            marked += 1
            if at >= region:
                outside += 1
            elif struct.unpack_from("<Q", s, 8)[0] != at or crc32c(s[:508]) != struct.unpack_from("<I", s, 508)[0]:
                bad += 1
        offset += len(chunk)
want = region // 512
print(f"iopoll-test: image: {marked} sectors carry the pattern ({want} in the region), {bad} wrong, {outside} outside the region")
sys.exit(0 if marked == want and bad == 0 and outside == 0 else 1)
EOF

if [ -n "$FIO" ]; then
    python3 - guest.txt <<'EOF'
import json, statistics, sys
rows = {}
lines = open(sys.argv[1]).read().splitlines()
for i, line in enumerate(lines):
    if line.startswith("=== pair "):
        tool, hipri, rnd = line.split()[2:5]
        job = json.loads(lines[i + 1])["jobs"][0]["read"]
        rows.setdefault((hipri, rnd), {})[tool] = (job["iops"], job["clat_ns"]["percentile"]["50.000000"])
for hipri in ("hipri=1", "hipri=0"):
    pairs = [v for (h, _), v in rows.items() if h == hipri and len(v) == 2]
    iops = statistics.median(v["ub"][0] / v["fio"][0] for v in pairs)
    p50 = statistics.median(v["ub"][1] / v["fio"][1] for v in pairs)
    print(f"{hipri}: {len(pairs)} rounds; uringbench IOPS {statistics.median(v['ub'][0] for v in pairs):,.0f}, "
          f"fio {statistics.median(v['fio'][0] for v in pairs):,.0f}; IOPS ratio {iops:.2f}, clat p50 ratio {p50:.2f}")
EOF
fi
echo "iopoll-test: PASS"
