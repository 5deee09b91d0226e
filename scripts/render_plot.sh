#!/usr/bin/env bash
# Renders a `uringbench plot` HTML page to PNG in headless Chromium and checks, from the DOM
# Chromium built, that the page loaded with its charts (a load-curve page: its curves). Usage:
#   scripts/render_plot.sh report.html report.png [width]
# Needs Debian's chromium package (apt-get install -y chromium). Exit 1 if the page is missing a
# chart (IOPS, percentiles, histogram; the depth chart only appears for depth sweeps; an echo
# page needs its points) or Chromium fails.
set -euo pipefail
html=${1:?usage: scripts/render_plot.sh REPORT.html OUT.png [width]}
png=${2:?usage: scripts/render_plot.sh REPORT.html OUT.png [width]}
width=${3:-1100}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  echo "render_plot: no chromium found; install it (apt-get install -y chromium)" >&2
  exit 1
fi
[ -f "$html" ] || { echo "render_plot: '$html' does not exist; write it with uringbench plot RESULTS.json -o $html" >&2; exit 1; }
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
       --user-data-dir="$(mktemp -d)")
# The DOM after load: the three charts and their marks must be there.
dom=$("$browser" "${flags[@]}" --dump-dom "$url" 2>/dev/null)
# A `compare --load` page has one chart instead: latency against IOPS, a curve per engine and percentile.
if grep -q 'id="chart-load"' <<<"$dom"; then
  curves=$(grep -o 'class="load-curve"' <<<"$dom" | wc -l)
  [ "$curves" -gt 0 ] || { echo "render_plot: the load chart has no curves" >&2; exit 1; }
  height=$(( $(grep -o '<svg [^>]*height="[0-9.]*"' <<<"$dom" | sed 's/.*height="\([0-9]*\).*/\1/' | paste -sd+ | bc) + 120 ))
  "$browser" "${flags[@]}" --window-size="$width,$height" --screenshot="$png" "$url" >/dev/null 2>&1
  [ -s "$png" ] || { echo "render_plot: chromium wrote no screenshot" >&2; exit 1; }
  echo "render_plot: $png (${width}x${height}): load chart, $curves curves"
  exit 0
fi
# An `echo` page: CPU per request and p99 against connections and/or offered load, a line per engine.
if grep -q 'id="chart-echo-' <<<"$dom"; then
  lines=$(grep -o 'class="echo-line"' <<<"$dom" | wc -l)
  points=$(grep -o 'class="echo-point"' <<<"$dom" | wc -l)
  [ "$points" -gt 0 ] || { echo "render_plot: the echo charts have no points" >&2; exit 1; }
  charts=$(grep -o 'id="chart-echo-[a-z0-9-]*"' <<<"$dom" | wc -l)
  height=$(( $(grep -o '<svg [^>]*height="[0-9.]*"' <<<"$dom" | sed 's/.*height="\([0-9]*\).*/\1/' | paste -sd+ | bc) + 120 + 40 * $(grep -o '<tr>' <<<"$dom" | wc -l) ))
  "$browser" "${flags[@]}" --window-size="$width,$height" --screenshot="$png" "$url" >/dev/null 2>&1
  [ -s "$png" ] || { echo "render_plot: chromium wrote no screenshot" >&2; exit 1; }
  echo "render_plot: $png (${width}x${height}): $charts echo charts, $lines lines, $points points"
  exit 0
fi
for id in chart-iops chart-percentiles chart-histogram; do
  grep -q "id=\"$id\"" <<<"$dom" || { echo "render_plot: the page has no #$id chart" >&2; exit 1; }
done
bars=$(grep -o 'class="bar"' <<<"$dom" | wc -l)
curves=$(grep -o 'class="curve"' <<<"$dom" | wc -l)
[ "$bars" -gt 0 ] && [ "$curves" -gt 0 ] || { echo "render_plot: charts are empty ($bars bars, $curves curves)" >&2; exit 1; }
# Height: the page's own, read from the SVG sizes plus the header, so nothing is cut off.
height=$(( $(grep -o '<svg [^>]*height="[0-9.]*"' <<<"$dom" | sed 's/.*height="\([0-9]*\).*/\1/' | paste -sd+ | bc) + 420 ))
"$browser" "${flags[@]}" --window-size="$width,$height" --screenshot="$png" "$url" >/dev/null 2>&1
[ -s "$png" ] || { echo "render_plot: chromium wrote no screenshot" >&2; exit 1; }
charts=$(grep -o 'class="chart"' <<<"$dom" | wc -l)
echo "render_plot: $png (${width}x${height}): $charts charts, $bars bars, $curves percentile curves"
