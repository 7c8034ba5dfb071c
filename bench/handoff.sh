#!/bin/sh
# handoff.sh: what switching among more busy threads than cores costs.
# T = 2, 4, 8 and 16 threads spin in `while true do x = x + 1 end`
# (bench/spin_threads.lua) under --sched random and rr until the step guard
# (--max-steps STEPS) ends the run; the figure is VM instructions per second
# of wall time (minus the start-up time of an empty chunk), best of R runs,
# and its ratio to the 2-thread figure of the same binary and scheduler.
# The baseline, measured in the same run with their runs interleaved so
# that the load of the machine weighs on both alike, is the same binary
# with TSBOX_CARRY=0 (every switch an OS hand-over between POSIX threads,
# as before carriers), or a second binary given as BASE (e.g. a build of
# main).
#   sh bench/handoff.sh [TSBOX] [BASE] [R] [STEPS]
set -eu
cd "$(dirname "$0")/.."
TSBOX=${1:-./tsbox}
BASE=${2:-}
R=${3:-3}
STEPS=${4:-4000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$BASE" ]; then
  BASE=$tmp/TSBOX_CARRY=0
  printf '#!/bin/sh\nTSBOX_CARRY=0 exec "%s" "$@"\n' "$(cd "$(dirname "$TSBOX")" && pwd)/$(basename "$TSBOX")" > "$BASE"
  chmod +x "$BASE"
fi

# walls ARGS...: for each binary, seconds of its fastest of R runs; the
# binaries take turns.
walls() {
  best=
  for _ in $(seq "$R"); do
    line=
    for b in $bins; do
      t0=$(date +%s.%N)
      "$b" "$@" >/dev/null 2>&1 || true
      t1=$(date +%s.%N)
      line="$line $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
    done
    best=$(echo "$best|$line" | awk -F'|' '{
      n = split($2, d, " "); split($1, m, " ")
      for (i = 1; i <= n; i++) printf "%s ", (m[i] == "" || d[i] < m[i]) ? d[i] : m[i] }')
  done
  echo "$best"
}

bins="$TSBOX $BASE"
start=$(walls -e '')
printf '%-7s %3s' sched T
for b in $bins; do printf ' %11s %9s' "steps/s" "vs 2 thr"; done
printf '   (%s, best of %s, --max-steps %s)\n' "$(echo "$bins" | sed -e "s| | vs |" -e "s|$tmp/||")" "$R" "$STEPS"
for sched in random rr; do
  for t in 2 4 8 16; do
    w=$(walls --sched "$sched" --seed 1 --max-steps "$STEPS" bench/spin_threads.lua "$t")
    rates=$(echo "$w|$start" | awk -F'|' -v n="$STEPS" '{
      k = split($1, w, " "); split($2, s0, " ")
      for (i = 1; i <= k; i++) { d = w[i] - s0[i]; if (d <= 0) d = w[i]; printf "%.0f ", n / d } }')
    [ "$t" = 2 ] && two=$rates
    printf '%-7s %3d' "$sched" "$t"
    echo "$rates|$two" | awk -F'|' '{
      k = split($1, r, " "); split($2, b, " ")
      for (i = 1; i <= k; i++) printf " %10.2fM %8.2fx", r[i] / 1e6, r[i] / b[i]
      print "" }'
  done
done
