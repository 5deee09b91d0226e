#!/bin/sh
# ns per block to prepare (write) and check (read) the data pattern with its crc32c, built with
# -O from the library's own sources, outside SwiftPM. Usage: scripts/pattern-cost.sh [bs]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/module.modulemap" <<MAP
module CSystemShims { header "$root/Sources/CSystemShims/include/CSystemShims.h" export * }
MAP
clang -O2 -c "$root/Sources/CSystemShims/shim.c" -I "$root/Sources/CSystemShims/include" -o "$out/shim.o"
w="$root/Sources/UringBench/Verify"
swiftc -O -module-name PatternCost -Xcc -fmodule-map-file="$out/module.modulemap" \
    "$w/CRC32C.swift" "$w/DataPattern.swift" "$w/SectorPattern.swift" "$w/GenerationWindow.swift" "$w/VerifyMismatch.swift" \
    "$root/scripts/pattern-cost/main.swift" "$out/shim.o" -o "$out/pattern-cost" 2>&1 | grep -v warning || true
"$out/pattern-cost" "${1:-4096}"
