#!/bin/sh
# Runs the whole suite with one `prove`: every tests/*.lua file under the
# `random` scheduler with $SEEDS seeds, under `rr` and under `os`, plus the
# shell tests (tests/*.sh) that check the command line, exit codes, reports
# and determinism. TSBOX names the binary (default ./tsbox).
set -eu
cd "$(dirname "$0")/.."
TSBOX=$(realpath "${TSBOX:-./tsbox}")
SEEDS=${SEEDS:-20}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
out=build/tests
rm -rf "$out"
mkdir -p "$out"
for f in tests/*.lua; do
  name=$(basename "$f" .lua)
  [ "$name" = tap ] && continue
  for s in $(seq 1 "$SEEDS"); do
    printf 'exec "%s" --seed %s --timeout 120 "%s"\n' "$TSBOX" "$s" "$PWD/$f" > "$out/$name.random-$s.t"
  done
  printf 'exec "%s" --sched rr --timeout 120 "%s"\n' "$TSBOX" "$PWD/$f" > "$out/$name.rr.t"
  printf 'exec "%s" --sched os --timeout 120 "%s"\n' "$TSBOX" "$PWD/$f" > "$out/$name.os.t"
done
for f in tests/*.sh; do
  case "$f" in */run.sh|*/lib.sh) continue ;; esac
  printf 'TSBOX="%s" exec bash "%s"\n' "$TSBOX" "$PWD/$f" > "$out/$(basename "$f" .sh).t"
done
# tsbox runs LUA_INIT as lua does: the suite runs without the user's.
unset LUA_INIT LUA_INIT_5_4
exec prove -j "$JOBS" --exec sh "$out"/*.t
