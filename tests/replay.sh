# The replay token (replay.c): one writer, one reader. Every token a run
# prints replays that run and prints itself again, for every scheduler,
# including a dfs token of thousands of choices (no length limit).
. "$(dirname "$0")/lib.sh"

# token_of: the replay token of the last run, from its --json report.
token_of() { sed -n 's/.*"outcomes": \[{"outcome": .*"replay": "\([^"]*\)".*/\1/p' "$T/run.json" | head -1; }

for opts in "-s 4" "--sched pct -s 9" "--sched pos -s 3" "--sched rr" "--sched rr --quantum 7" \
            "-s 5 --quantum 3" "--replay d:q1:4058.1"; do
  # shellcheck disable=SC2086
  run $opts --json "$T/run.json" scripts/race.lua
  cp "$T/out" "$T/first"
  tok=$(token_of)
  run --replay "$tok" --json "$T/run.json" scripts/race.lua
  again=$(token_of)
  if [ -n "$tok" ] && [ "$tok" = "$again" ] && cmp -s "$T/out" "$T/first"; then
    pass "$opts: its token $tok replays the run and prints itself"
  else fail "$opts: its token replays the run and prints itself" "first: $tok" "again: $again"; fi
done

# A dfs schedule of several thousand choices, written and read back whole:
# two threads switched at every scheduling point.
prefix=$(awk 'BEGIN { for (i = 0; i < 9000; i++) printf "%s%d.%d", (i > 0 ? "," : ""), i, i % 2 }')
run --replay "d:q1:$prefix" --json "$T/run.json" tests/replay/spin.lua
cp "$T/out" "$T/first"
tok=$(token_of)
choices=$(printf '%s' "$tok" | tr ',' '\n' | wc -l)
if [ "$choices" -gt 5000 ]; then pass "a schedule switching at every point gives a token of $choices choices"
else fail "a schedule switching at every point gives a token of thousands of choices" "token: $(printf '%s' "$tok" | head -c 200)"; fi
run --replay "$tok" --json "$T/run.json" tests/replay/spin.lua
if [ "$(token_of)" = "$tok" ] && cmp -s "$T/out" "$T/first"; then
  pass "the long dfs token replays the same run and prints itself whole"
else fail "the long dfs token replays the same run and prints itself whole"; fi
if grep -qF -- "replay: tsbox --replay $tok tests/replay/spin.lua" "$T/err"; then
  pass "a failure report prints the long token whole"
else fail "a failure report prints the long token whole" "$(tail -c 300 "$T/err")"; fi

# A later --replay replaces an earlier one whole, including the fields it
# leaves at their defaults (dfs's quantum of 1 used to stay).
run --replay r:0x5 scripts/race.lua; cp "$T/out" "$T/alone"; cp "$T/err" "$T/alone.err"
run --replay d:q1 --replay r:0x5 scripts/race.lua
if cmp -s "$T/out" "$T/alone" && cmp -s "$T/err" "$T/alone.err"; then
  pass "--replay d:q1 --replay r:0x5 is the run of r:0x5"
else fail "--replay d:q1 --replay r:0x5 is the run of r:0x5" "$(diff "$T/err" "$T/alone.err" | head -4)"; fi

for bad in "x:1" "r:" "r:zz" "d:q1:5" "d:q1:1.99999999" "p:0x1:d99" "rr:q0" "pos:1:q5"; do
  run --replay "$bad" -e 'print(1)'
  if [ "$rc" = 2 ] && grep -q "^tsbox: --replay: .* in token" "$T/err"; then pass "token '$bad' is refused with a reason (exit 2)"
  else fail "token '$bad' is refused with a reason (exit 2)" "exit $rc" "$(cat "$T/err")"; fi
done

finish
