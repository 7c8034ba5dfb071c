# Explorer workers against hostile runs: scenarios that change what tsbox
# keeps outside the Lua universe, leave threads blocked everywhere, or
# stop the explorer. Workers and a process per run (TSBOX_EXPLORE=fork)
# must say the same, byte for byte (see tests/workers.sh).
. "$(dirname "$0")/lib.sh"

# explore MODE NAME ARGS...: an exploration, its output kept under NAME.
explore() {
  mode=$1 name=$2
  shift 2
  if [ "$mode" = fork ]; then
    TSBOX_EXPLORE=fork "$TSBOX" --json "$T/$name.json" "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null
  else
    "$TSBOX" --json "$T/$name.json" "$@" > "$T/$name.out" 2> "$T/$name.err" < /dev/null
  fi
  echo "exit $?" >> "$T/$name.out"
  sed -i -e 's/ in [0-9.]* s$//' -e 's/ in [0-9.]* s / /' -e 's/, [0-9]* jobs\{0,1\})/)/' "$T/$name.err"
  sed -i -e 's/"elapsed_s": [0-9.e+-]*//' -e 's/"runs_per_s": [0-9.e+-]*//' \
    -e 's/"jobs": [0-9]*//' "$T/$name.json"
}

# agree LABEL ARGS...: workers and a process per run say the same.
agree() {
  label=$1
  shift
  explore worker w "$@"
  explore fork f "$@"
  if cmp -s "$T/w.out" "$T/f.out" && cmp -s "$T/w.err" "$T/f.err" && cmp -s "$T/w.json" "$T/f.json"; then
    pass "$label"
  else
    fail "$label" "$(diff "$T/w.err" "$T/f.err" | head -8)" \
      "$(diff "$T/w.json" "$T/f.json" | head -c 400)" "$(diff "$T/w.out" "$T/f.out" | head -4)"
  fi
}

if [ -n "${TSBOX_SANITIZER:-}" ]; then
  skip "the scenarios print addresses, which the C heap of a sanitizer build chooses anew"
  finish
  exit
fi

# What tsbox keeps in C: MainThread's name (freed when a run renames it),
# the stack size, the excepthook, hooks and metatables of the debug library.
agree "state kept in C: workers and a process per run agree" -v -q -j 2 -s 1 --runs 200 tests/workers/state.lua

# Threads waiting in every blocking call when their run ends.
agree "threads blocked everywhere at a run's end" -v -q -j 2 -s 1 --runs 400 tests/workers/blocked.lua
agree "threads blocked everywhere, under pct" -v -q -j 2 --sched pct -s 3 --runs 200 tests/workers/blocked.lua
# Ways out of a run: os.exit from a thread, failing hooks, finalizers.
agree "runs that leave oddly" -v -j 2 -s 1 --runs 200 tests/workers/exits.lua
# Stack overflows, Lua's and C's, on MainThread and on pooled threads.
agree "deep recursion" -v -q -j 2 -s 1 --runs 150 tests/workers/deep.lua
# Limits hit mid-run, with the first job's worker and the second's.
agree "limits hit mid-run" -v -q -j 2 -s 1 --runs 100 --max-memory 20000000 --max-steps 3000000 \
  tests/workers/limits.lua
# What runs say: many outcomes, megabytes of stdout, partial lines,
# warnings, os.exit(code, true) with finalizers, the clocks.
agree "what runs say" -v -j 2 -s 1 --runs 150 tests/workers/output.lua

# LUA_INIT, -l and -e run in every run, before the script: what they change
# (globals, a module's state, a thread they leave waiting) is put back too.
printf 'local M = { n = 0 }\nM.n = M.n + 1\nreturn M\n' > "$T/counted.lua"
printf '%s\n' 'local ts = require "tsbox"' 'counted.n = counted.n + math.random(1, 3)' \
  'ts.outcome(counted.n, INIT, extra, tostring({}))' > "$T/init.lua"
LUA_INIT='INIT = (INIT or 0) + 1' LUA_PATH="$T/?.lua;;" agree "LUA_INIT, -l and -e in every run" \
  -v -j 2 -s 1 --runs 60 -l counted -e 'extra = (extra or 0) + 1' \
  -e 'require("tsbox").Thread{ target = function() require("tsbox").Event():wait() end, daemon = true }:start()' \
  "$T/init.lua"
if grep -q '"outcome": "[234] 1 1 table' "$T/w.json" && ! grep -v '"outcome": "[234] 1 1 table' "$T/w.json" | grep -q '"outcome"'; then pass "each run starts from the universe as built"
else fail "each run starts from the universe as built" "$(head -c 600 "$T/w.json")"; fi

# SIGINT and SIGTERM to the explorer while its workers run, with threads
# blocked in them: it prints its partial summary, exits 130 or 143, and
# leaves no worker behind.
for case in "INT 130" "TERM 143"; do
  # shellcheck disable=SC2086
  set -- $case
  "$TSBOX" -j 2 -s 1 --runs 100000000 tests/workers/blocked.lua > "$T/out" 2> "$T/err" &
  pid=$!
  kids=""
  for _ in $(seq 200); do
    kids=$(pgrep -P "$pid" | tr '\n' ' ')
    # shellcheck disable=SC2086
    [ "$(echo $kids | wc -w)" -ge 2 ] && break
    sleep 0.05
  done
  kill -s "$1" "$pid"
  wait "$pid"
  rc=$?   # expect_rc reads it
  expect_rc "SIG$1 ends an exploration by workers with exit $2" "$2"
  if grep -q "not exhausted: interrupted (SIG$1) after [0-9]* of 100000000 runs" "$T/err"; then
    pass "an exploration by workers ended by SIG$1 prints its partial summary"
  else fail "an exploration by workers ended by SIG$1 prints its partial summary" "$(head -c 400 "$T/err")"; fi
  left=""
  # shellcheck disable=SC2086
  for k in $kids; do
    if [ -d "/proc/$k" ] && ! grep -q '^State:.*Z' "/proc/$k/status"; then left="$left $k"; fi
  done
  left=${left# }
  if [ -n "$kids" ] && [ -z "$left" ]; then pass "SIG$1 leaves no worker behind ($kids)"
  else fail "SIG$1 leaves no worker behind" "workers: $kids; left: $left"; kill "$left" 2> /dev/null; fi
done

finish
