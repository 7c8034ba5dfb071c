#!/bin/sh
# docs/timeline.png, the README's picture: Debian's chromium, headless, takes
# a screenshot of the timeline page of `tsbox --race -s 1 scripts/race.lua`
# (the run the README's caption names). TSBOX names the binary.
set -eu
cd "$(dirname "$0")/.."
TSBOX=${TSBOX:-./tsbox}
command -v chromium > /dev/null || { echo "timeline-png: chromium not installed" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# race.lua fails its checks (exit 1): that is the run worth drawing.
"$TSBOX" --race -s 1 --timeline "$T/race.html" scripts/race.lua > /dev/null 2>&1 || [ $? = 1 ]
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$T/profile" --window-size=1400,560 --screenshot="$T/race.png" \
  "file://$T/race.html" > /dev/null 2> "$T/chromium.err" || { cat "$T/chromium.err" >&2; exit 1; }
cp "$T/race.png" docs/timeline.png
echo "docs/timeline.png: $(wc -c < docs/timeline.png) bytes"
