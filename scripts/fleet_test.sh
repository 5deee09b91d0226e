#!/usr/bin/env bash
# The Ansible fleet run for real, on this machine: three inventory hosts that all resolve here
# (ansible_connection=local), each with its own work directory and data file, run the playbook
# in parallel, then `uringbench fleet` merges what came back. Checks that every host's results
# arrived, that the role removed what it created, and that it kept a data file it found.
#
# usage: scripts/fleet_test.sh dist/uringbench
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$(realpath "${1:-dist/uringbench}")
[ -x "$binary" ] || { echo "fleet-test: $binary is missing; run make dist"; exit 1; }
if ! command -v ansible-playbook >/dev/null; then
    echo "fleet-test: installing ansible-core (pip)"
    python3 -m pip install --quiet ansible-core
fi

fail() { echo "fleet-test: FAIL: $*"; exit 1; }

# Inside .build (a disk, not tmpfs: O_DIRECT), never results/fleet (a real fleet's results).
base=$(realpath -m .build/fleet-test)
rm -rf "$base"
mkdir -p "$base/results"
inventory="$base/inventory.ini"
{
    echo "[fleet_test]"
    for h in host-a host-b host-c; do
        echo "$h uringbench_workdir=$base/$h/work uringbench_data_file=$base/$h/disk/uringbench.dat"
    done
    echo
    echo "[fleet_test:vars]"
    echo "ansible_connection=local"
    echo "ansible_python_interpreter=$(command -v python3)"
} > "$inventory"

# host-c already has its data file (laid out by a short run): the role must read it and keep it.
mkdir -p "$base/host-c/disk"
"$binary" randread --engine psync --runtime 100ms --size 64M --filename "$base/host-c/disk/uringbench.dat" >/dev/null

echo "== ansible-playbook (3 hosts, parallel)"
log="$base/ansible.log"
if ! ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ansible-playbook -i "$inventory" deploy/ansible/fleet.yml \
    -e uringbench_binary="$binary" -e uringbench_results_dir="$base/results" \
    -e uringbench_engines=psync,libaio,io_uring,io_uring_sqpoll -e uringbench_iodepth=8 \
    -e uringbench_runtime=1s -e uringbench_rounds=1 -e uringbench_size=64M > "$log" 2>&1; then
    tail -40 "$log"
    fail "ansible-playbook failed (its output: $log)"
fi
grep -E '^(PLAY RECAP|host-[abc] +:)' "$log"

for h in host-a host-b host-c; do
    [ -s "$base/results/$h.json" ] || fail "no results from $h"
    [ ! -e "$base/$h/work" ] || fail "$h: the work directory it created is still there"
done
for h in host-a host-b; do
    [ ! -e "$base/$h/disk" ] || fail "$h: the data file (and directory) it created are still there"
done
[ -s "$base/host-c/disk/uringbench.dat" ] || fail "host-c: the data file it found was removed"
rm -rf "$base/host-c"

echo "== uringbench fleet $base/results/*.json"
"$binary" fleet "$base"/results/*.json --output "$base/fleet.json"
"$binary" plot "$base/fleet.json" -o "$base/fleet.html" 2>/dev/null
grep -q 'id="fleet-iops"' "$base/fleet.html" || fail "plot drew no fleet chart"
echo "fleet-test: PASS (results, fleet.json and fleet.html in $base)"
