# Explorer workers (explore.c, run.c, alloc.c): a worker runs one schedule
# after another from one built universe, putting it back after each run. A
# run's result must not depend on which kind of process ran it: the same
# seeds explored by workers and with a process forked for every run
# (TSBOX_EXPLORE=fork) give the same summary, JSON report and exit status,
# byte for byte, whatever --jobs is.
. "$(dirname "$0")/lib.sh"

# explore MODE NAME ARGS...: an exploration, its output kept under NAME.
explore() {
  mode=$1 name=$2
  shift 2
  if [ "$mode" = fork ]; then
    TSBOX_EXPLORE=fork TSBOX_EXPLORE_STATS=1 "$TSBOX" --json "$T/$name.json" "$@" > "$T/$name.out" 2> "$T/$name.err" < "$T/stdin"
  else
    TSBOX_EXPLORE_STATS=1 "$TSBOX" --json "$T/$name.json" "$@" > "$T/$name.out" 2> "$T/$name.err" < "$T/stdin"
  fi
  echo "exit $?" >> "$T/$name.out"
  # What may differ: the wall time, the count of processes, and the
  # number of jobs, which the summary names.
  sed -i -e 's/ in [0-9.]* s$//' -e 's/ in [0-9.]* s / /' -e 's/, [0-9]* jobs\{0,1\})/)/' "$T/$name.err"
  grep -v '^tsbox: explorer: ' "$T/$name.err" > "$T/$name.summary"
  sed -i -e 's/"elapsed_s": [0-9.e+-]*//' -e 's/"runs_per_s": [0-9.e+-]*//' \
    -e 's/"jobs": [0-9]*//' "$T/$name.json"
}

# processes NAME: how many processes the exploration NAME forked.
processes() { sed -n 's/^tsbox: explorer: [0-9]* runs in \([0-9]*\) processes.*$/\1/p' "$T/$1.err"; }
# largest NAME: the resident megabytes of the largest of those processes.
largest() { sed -n 's/^tsbox: explorer: .*, the largest \([0-9]*\) MB$/\1/p' "$T/$1.err"; }

# same LABEL A B: explorations A and B said the same.
same() {
  if cmp -s "$T/$2.out" "$T/$3.out" && cmp -s "$T/$2.summary" "$T/$3.summary" &&
     cmp -s "$T/$2.json" "$T/$3.json"; then
    pass "$1"
  else
    fail "$1" "$(diff "$T/$2.summary" "$T/$3.summary" | head -8)" \
      "$(diff "$T/$2.json" "$T/$3.json" | head -c 400)" "$(diff "$T/$2.out" "$T/$3.out" | head -4)"
  fi
}

printf 'one\ntwo\nthree\n' > "$T/stdin"

# The sanitizer builds of `make asan` and `make tsan` keep Lua's objects
# in the C heap, where there is no arena to put back: every run forks
# there, and fewer runs are enough. `make tsan` also runs this file with
# a ThreadSanitizer build that keeps the arena (TSBOX_SANITIZER=tsan-arena),
# so that the workers' own threads are checked too.
many=${TSBOX_MANY:-10000}
heap=
case ${TSBOX_SANITIZER:-} in
  '') ;;
  tsan-arena) many=300 ;;
  *) many=300 heap=1 ;;
esac

# $many seeds each, summarised (-q: the summary without its minimization,
# which runs the same dfs children either way).
for scenario in bench/explore_counter.lua tests/workers/mix.lua; do
  if [ -n "$heap" ] && [ "$scenario" = tests/workers/mix.lua ]; then
    skip "mix.lua prints addresses, which the C heap of a sanitizer build chooses anew"
    continue
  fi
  explore worker w -q -s 1 --runs $many "$scenario"
  explore fork f -q -s 1 --runs $many "$scenario"
  same "$scenario: $many seeds, workers and a process per run agree" w f
  p=$(processes w)
  if [ -n "$heap" ]; then skip "a sanitizer build has no workers"
  elif [ -n "$p" ] && [ "$p" -lt 100 ]; then pass "$scenario: workers ran $many runs in $p processes"
  else fail "$scenario: workers ran $many runs in a few processes" "processes: $p"; fi
  if [ "$(processes f)" = $many ]; then pass "$scenario: TSBOX_EXPLORE=fork forks every run"
  else fail "$scenario: TSBOX_EXPLORE=fork forks every run" "processes: $(processes f)"; fi
done

# The full summaries (with the failures' minimized schedules), under each
# scheduler workers serve, and with 1 and 2 jobs.
for args in "-s 7 --runs 1000 scripts/race.lua" "-s 3 --runs 1000 scripts/deadlock.lua" \
            "-s 5 --runs 600 tests/workers/mix.lua" "--sched pct -s 2 --runs 600 tests/workers/mix.lua" \
            "--sched pct --depth 2 -s 9 --runs 300 scripts/race.lua" "--sched rr --runs 20 tests/workers/mix.lua" \
            "-s 4 --runs 400 --quantum 3 --stop-on-failure bench/explore_counter.lua 20 3" \
            "-s 1 --runs 300 --max-steps 2000 scripts/race.lua" \
            "-s 2 --runs 300 --max-memory 2000000 tests/workers/mix.lua"; do
  case "$heap:$args" in 1:*mix.lua*)
    skip "$args: mix.lua prints addresses, which the C heap of a sanitizer build chooses anew"
    continue ;;
  esac
  # shellcheck disable=SC2086
  explore worker w -j 2 $args
  # shellcheck disable=SC2086
  explore fork f -j 2 $args
  same "$args: workers and a process per run agree" w f
  case $args in *pct*|*deadlock*|*max-memory*)
    # shellcheck disable=SC2086
    explore worker w1 -j 1 $args
    same "$args: 1 job and 2 jobs agree" w w1 ;;
  esac
done

# What a worker cannot put back ends it: open files, a child process, a C
# library search, the locale, stdin read into its buffer, os.exit.
explore worker w -v -j 1 -s 1 --runs 90 tests/workers/outside.lua
explore fork f -v -j 1 -s 1 --runs 90 tests/workers/outside.lua
same "runs that reach outside the universe: workers and a process per run agree" w f
if [ -n "$heap" ]; then skip "a sanitizer build has no workers"
elif [ "$(processes w)" -gt 60 ] && [ "$(processes w)" -lt 90 ]; then
  pass "such a run ends its worker; the others go on ($(processes w) processes for 90 runs)"
else fail "such a run ends its worker; the others go on" "processes: $(processes w)"; fi
if grep -q 'pick=[17] one ' "$T/w.err" && ! grep -q 'pick=[17] \(two\|three\) ' "$T/w.err"; then
  pass "a worker that read stdin ends: no later run sees what it buffered"
else fail "a worker that read stdin ends: no later run sees what it buffered" "$(grep 'pick=[17]' "$T/w.err")"; fi

# loadfile() and dofile() without a name read stdin: such a run ends its
# worker too.
lua stdin_chunk.lua <<'LUA'
local ts = require "tsbox"
local f = math.random(1, 2) == 1 and loadfile() or function() return dofile() end
ts.outcome(tostring(f and f()))
LUA
printf 'return 1\n' > "$T/chunk"
TSBOX_EXPLORE_STATS=1 "$TSBOX" -j 1 --runs 6 "$T/stdin_chunk.lua" < "$T/chunk" > "$T/out" 2> "$T/err"
if [ -n "$heap" ] || grep -q 'explorer: 6 runs in 6 processes' "$T/err"; then
  pass "a run that loads a chunk from stdin ends its worker"
else fail "a run that loads a chunk from stdin ends its worker" "$(cat "$T/err")"; fi

# A run killed for outliving --timeout takes its worker with it; the
# next runs get a fresh one and agree with a process per run.
lua spin.lua <<'LUA'
local ts = require "tsbox"
local k = math.random(1, 8)
local t = ts.spawn(function() if k == 1 then while true do end end end)
if k ~= 1 then t:join() end
ts.outcome("k=" .. k .. " " .. tostring({}))
LUA
explore worker w -j 2 -s 3 --runs 24 --timeout 0.3 --max-steps 0 "$T/spin.lua"
explore fork f -j 2 -s 3 --runs 24 --timeout 0.3 --max-steps 0 "$T/spin.lua"
same "runs killed by --timeout: workers and a process per run agree" w f
if grep -q 'limits hit: [1-9]' "$T/w.err"; then pass "the runs that spin hit the timeout"
else fail "the runs that spin hit the timeout" "$(cat "$T/w.err")"; fi

# A worker that crashes is replaced: a run ends its own process with
# SIGSEGV, the later runs go on in a fresh worker, as they would each in
# a process of its own.
lua crash.lua <<'LUA'
local ts = require "tsbox"
local k = math.random(1, 5)
ts.spawn(function() end):join()
if k == 1 then os.execute("kill -SEGV $PPID; sleep 5") end
ts.outcome("k=" .. k .. " " .. tostring({}))
LUA
explore worker w -j 2 -s 1 --runs 40 "$T/crash.lua"
explore fork f -j 2 -s 1 --runs 40 "$T/crash.lua"
same "runs that crash their process: workers and a process per run agree" w f
if [ -n "${TSBOX_SANITIZER:-}" ]; then skip "a sanitizer reports SIGSEGV itself"
elif grep -q 'killed by signal 11' "$T/w.err"; then pass "a crashed run is reported as killed by SIGSEGV"
else fail "a crashed run is reported as killed by SIGSEGV" "$(cat "$T/w.err")"; fi

# A worker stays as small as one run needs: what a run allocated goes back
# with the universe, and 40 runs of 40 MB each leave it as large as one.
lua big.lua <<'LUA'
local ts = require "tsbox"
local t = {}
for i = 1, 200 do t[i] = string.rep(string.char(65 + i % 26), 200000 + i) end
ts.spawn(function() t[1] = nil end):join()
ts.outcome(#t)
LUA
explore worker one -j 1 --runs 1 "$T/big.lua"
explore worker many -j 1 --runs 40 "$T/big.lua"
if [ -n "${TSBOX_SANITIZER:-}" ]; then skip "a sanitizer build's memory is not the workers'"
elif [ "$(processes many)" = 1 ] && [ "$(largest many)" -lt $(( $(largest one) + 20 )) ]; then
  pass "40 runs of 40 MB in one worker: $(largest many) MB at most, one run $(largest one) MB"
else fail "40 runs of 40 MB in one worker stay as large as one" "one: $(largest one) MB" \
  "40: $(largest many) MB in $(processes many) processes"; fi

finish
