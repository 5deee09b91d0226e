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
# CRC32C reads CPUFeatures from the base module: that one file, built as UringCore in the same
# package (its declarations are `package`).
swiftc -O -package-name uringbench -module-name UringCore -parse-as-library -emit-module -emit-module-path "$out/UringCore.swiftmodule" \
    -Xcc -fmodule-map-file="$out/module.modulemap" -c "$root/Sources/UringCore/System/CPUFeatures.swift" -o "$out/UringCore.o"
w="$root/Sources/UringBench/Verify"
swiftc -O -package-name uringbench -module-name PatternCost -I "$out" -Xcc -fmodule-map-file="$out/module.modulemap" \
    "$w/CRC32C.swift" "$w/DataPattern.swift" "$w/SectorPattern.swift" "$w/GenerationWindow.swift" "$w/VerifyMismatch.swift" \
    "$root/scripts/pattern-cost/main.swift" "$out/shim.o" "$out/UringCore.o" -o "$out/pattern-cost" 2>&1 | grep -v warning || true
"$out/pattern-cost" "${1:-4096}"
