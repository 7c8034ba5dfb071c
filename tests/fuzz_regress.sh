# Regression cases the scenario fuzzer found (tests/fuzz_regress/*.lua): each
# must end with one of SPEC's exit statuses (0-4), never a crash, a hang or a
# sanitizer report. A case may name extra options on a "fuzz-options:" line.
. "$(dirname "$0")/lib.sh"

for f in tests/fuzz_regress/*.lua; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .lua)
  opts=$(head -5 "$f" | sed -n 's/^-- fuzz-options: //p')
  for sched in random os; do
    # shellcheck disable=SC2086
    timeout -s KILL 60 "$TSBOX" --seed 1 --sched "$sched" --timeout 10 --max-steps 5000000 $opts "$f" \
      > "$T/out" 2> "$T/err"
    rc=$?
    if [ "$rc" -le 4 ] && ! grep -q "runtime error\|Sanitizer\|internal error" "$T/err"; then
      pass "fuzz case $name under $sched ends cleanly (exit $rc)"
    else
      fail "fuzz case $name under $sched ends cleanly" "exit $rc" "$(grep -m3 'runtime error\|Sanitizer\|internal error' "$T/err")"
    fi
  done
done

finish
