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

finish
