#!/usr/bin/env bash
# Collects each pod's results of the uringbench-fleet Job into results/fleet/<node>.json.
#   deploy/kubernetes/collect.sh [job-name] [results-dir]
set -euo pipefail
job=${1:-uringbench-fleet}
out=${2:-results/fleet}
mkdir -p "$out"
for pod in $(kubectl get pods -l "job-name=$job" -o name); do
    log=$(kubectl logs "$pod")
    node=$(printf '%s\n' "$log" | sed -n 's/^----- uringbench results begin node=\(.*\) -----$/\1/p')
    [ -n "$node" ] || { echo "$pod: no results in its log (still running, or failed: kubectl logs $pod)"; continue; }
    if [ -e "$out/$node.json" ]; then echo "$out/$node.json exists (an earlier run); move it away first"; exit 1; fi
    printf '%s\n' "$log" | sed -n '/^----- uringbench results begin/,/^----- uringbench results end/{//!p}' > "$out/$node.json"
    echo "$pod -> $out/$node.json"
done
