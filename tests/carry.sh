# Carriers (issue 12): a thread preempted in plain Lua leaves its POSIX
# thread and another resumes it. Checked: that switches among busy
# threads are made so (tsbox's own counters, never timings), and that how
# a switch is made changes nothing a script or a report can see: output,
# exit status, addresses, tracebacks, the coroutine library's answers,
# an exploration's summary. TSBOX_CARRY=0 makes every switch an OS
# hand-over, as before carriers.
. "$(dirname "$0")/lib.sh"

# stat NAME: a figure of the last run's baton line (TSBOX_BATON_STATS).
stat() {
  sed -n 's/^tsbox: baton: //p' "$T/err" | tr ',' '\n' | sed -n "s/^ *\([0-9]*\) $1\$/\1/p"
}

# Busy threads switch without waking a POSIX thread.
for sched in random rr; do
  TSBOX_BATON_STATS=1 run --sched "$sched" --seed 4 --max-steps 2000000 bench/spin_threads.lua 8
  h=$(stat hand-overs); c=$(stat carried); w=$(stat "futex wakes")
  if [ -n "$h" ] && [ "$h" -gt 1000 ] && [ $((c * 100)) -ge $((h * 99)) ] && [ $((w * 100)) -le "$h" ]; then
    pass "$sched, 8 busy threads: 99 % of switches carry a coroutine, under 1 % wake a POSIX thread"
  else fail "$sched, 8 busy threads: 99 % of switches carry a coroutine, under 1 % wake a POSIX thread" \
    "$h hand-overs, $c carried, $w futex wakes" "stderr: $(head -c 300 "$T/err")"; fi
done

# Threads that pass a turn with ts.yield() switch without waking a POSIX thread.
TSBOX_BATON_STATS=1 run --seed 1 bench/handoff.lua 20000
h=$(stat hand-overs); c=$(stat carried); w=$(stat "futex wakes")
if [ -n "$h" ] && [ "$h" -gt 40000 ] && [ $((c * 100)) -ge $((h * 99)) ] && [ $((w * 100)) -le "$h" ]; then
  pass "two threads passing a turn with ts.yield(): 99 % of switches carry a coroutine"
else fail "two threads passing a turn with ts.yield(): 99 % of switches carry a coroutine" \
  "$h hand-overs, $c carried, $w futex wakes"; fi

# Where a switch must be seen, or cannot move a coroutine, nothing is carried.
for how in "TSBOX_CARRY=0 --sched random" "- --race" "- --timeline $T/tl.json" "- --sched dfs --max-steps 200000" \
           "- --sched pos" "- --sched os --max-steps 200000"; do
  envv=${how%% *}; opts=${how#* }
  # shellcheck disable=SC2086
  if [ "$envv" = - ]; then TSBOX_BATON_STATS=1 run $opts --seed 4 --max-steps 200000 bench/spin_threads.lua 4
  else env "$envv" TSBOX_BATON_STATS=1 "$TSBOX" $opts --seed 4 --max-steps 200000 bench/spin_threads.lua 4 > "$T/out" 2> "$T/err"; fi
  c=$(stat carried)
  if [ "${c:-0}" = 0 ]; then pass "nothing is carried with $how"
  else fail "nothing is carried with $how" "$c carried"; fi
done

# same NAME ARGS...: carrying or not, the run is byte for byte the same.
same() {
  name=$1; shift
  "$TSBOX" "$@" > "$T/a.out" 2> "$T/a.err"; ra=$?
  TSBOX_CARRY=0 "$TSBOX" "$@" > "$T/b.out" 2> "$T/b.err"; rb=$?
  # an exploration's wall time may differ
  sed -i -e 's/ in [0-9.]* s$//' -e 's/"elapsed_s": [0-9.e+-]*//' -e 's/"runs_per_s": [0-9.e+-]*//' \
    "$T/a.out" "$T/a.err" "$T/b.out" "$T/b.err"
  if [ "$ra" = "$rb" ] && cmp -s "$T/a.out" "$T/b.out" && cmp -s "$T/a.err" "$T/b.err"; then
    pass "$name"
  else
    fail "$name" "status $ra and $rb (TSBOX_CARRY=0)" "$(diff "$T/a.out" "$T/b.out" | head -4)" \
      "$(diff "$T/a.err" "$T/b.err" | head -4)"
  fi
}

# Sanitizer builds with the system allocator print malloc's addresses,
# which differ from run to run: their runs are compared where no address
# is printed.
scripts="tests/carry/errors.lua tests/carry/coroutines.lua tests/carry/yields.lua scripts/race.lua scripts/lock.lua"
case ${TSBOX_SANITIZER:-} in
  ''|tsan-arena) addresses=1; scripts="tests/carry/addresses.lua tests/carry/shrink.lua $scripts" ;;
  *) addresses=0; skip "addresses.lua and shrink.lua print addresses, which $TSBOX_SANITIZER's allocator does not fix" ;;
esac
for seed in 1 2 3; do
  run --seed "$seed" tests/carry/shrink.lua
  expect_rc "shrink.lua, seed $seed: a suspended thread's stack moved by the collector (it crashed once)" 0
done
for script in $scripts; do
  for sched in random rr pct; do
    for seed in 1 2; do
      # (pct may keep two yielding threads passing the turn between them:
      # the step guard ends such a run, the same way both times)
      same "$script, $sched, seed $seed: the same with and without carrying" \
        --sched "$sched" --seed "$seed" --max-steps 3000000 "$script"
    done
  done
  same "$script, --quantum 3: the same with and without carrying" --seed 7 --quantum 3 "$script"
done
for seed in 1 2 3 4; do
  same "lines.lua, seed $seed: the step limit's report puts each preempted thread on the same line" \
    --seed "$seed" --max-steps 100003 tests/carry/lines.lua
done
same "10 000 seeds of explore_counter.lua: the same summary and JSON with and without carrying" \
  --runs 10000 --seed 1 --json /dev/stdout bench/explore_counter.lua
# (mix.lua's outcomes name addresses)
[ "$addresses" = 1 ] &&
  same "mix.lua explored: the same summary with and without carrying" --runs 300 --seed 9 tests/workers/mix.lua

# Observers never steer: the output is what the run prints without them.
[ "$addresses" = 1 ] && for seed in 1 2 3 4; do
  run --seed "$seed" tests/carry/addresses.lua; cp "$T/out" "$T/plain"
  run --race --seed "$seed" tests/carry/addresses.lua
  if cmp -s "$T/plain" "$T/out"; then pass "addresses.lua, seed $seed: --race prints what a carried run prints"
  else fail "addresses.lua, seed $seed: --race prints what a carried run prints" "$(diff "$T/plain" "$T/out" | head -4)"; fi
done

for seed in $(seq 1 12); do
  run --seed "$seed" tests/carry/wrap.lua; cp "$T/out" "$T/plain"
  run --race --seed "$seed" tests/carry/wrap.lua; cp "$T/out" "$T/race"
  run --timeline "$T/tl.json" --seed "$seed" tests/carry/wrap.lua
  if cmp -s "$T/plain" "$T/race" && cmp -s "$T/plain" "$T/out"; then
    pass "wrap.lua, seed $seed: --race and --timeline print what a plain run prints"
  else fail "wrap.lua, seed $seed: --race and --timeline print what a plain run prints" \
    "plain: $(cat "$T/plain")" "race: $(cat "$T/race")" "timeline: $(cat "$T/out")"; fi
done

# The coroutine library: a thread's coroutine, seen by itself and by another.
run --seed 1 tests/carry/coroutines.lua
for line in "own isyieldable	false	false" "own status	running" \
            "own resume	false	cannot resume non-suspended coroutine" \
            "own close	false	cannot close a running coroutine" \
            "yield	false	attempt to yield across a C-call boundary" "inner coroutine	2	10" \
            "other sees	normal	false" "other resume	false	cannot resume non-suspended coroutine" \
            "other close	false	cannot close a normal coroutine" "after	dead	false	cannot resume dead coroutine"; do
  expect_out "coroutines.lua: $(echo "$line" | tr '\t' ' ')" "$line"
done
if [ "$(grep -c '^other sees' "$T/out")" = 50 ]; then pass "coroutines.lua: the other thread looked 50 times"
else fail "coroutines.lua: the other thread looked 50 times" "$(head -c 300 "$T/out")"; fi

# A thread's native id is the POSIX thread started for it, whichever
# carrier runs its Lua code.
lua native.lua <<'L'
local ts = require "tsbox"
local ids, ok, threads = {}, true, {}
for i = 1, 6 do
  threads[i] = ts.spawn(function()
    local me = ts.current_thread().native_id
    for _ = 1, 2000 do
      local x = 0
      for j = 1, 20 do x = x + j end
      if ts.get_native_id() ~= me or x ~= 210 then ok = false end
    end
    ids[i] = me
  end)
end
for i = 1, 6 do threads[i]:join() end
local seen = {}
for i = 1, 6 do
  if seen[ids[i]] or ids[i] == ts.get_native_id() then ok = false end
  seen[ids[i]] = true
end
print("native ids stable and unique", ok)
L
TSBOX_BATON_STATS=1 run --seed 1 "$T/native.lua"
if grep -q "unique	true" "$T/out" && [ "$(stat carried)" -gt 1000 ]; then
  pass "get_native_id() is the thread's native_id, unique, however often the thread is carried"
else fail "get_native_id() is the thread's native_id, unique, however often the thread is carried" \
  "$(cat "$T/out")" "$(tail -1 "$T/err")"; fi

# A C library may keep state per POSIX thread: once one is loaded, threads
# keep their POSIX threads.
lua cmodule.lua <<'L'
local ts = require "tsbox"
local lfs = require "lfs"
local threads = {}
for i = 1, 4 do threads[i] = ts.spawn(function() local x = 0 for j = 1, 5000 do x = x + j end end) end
for i = 1, 4 do threads[i]:join() end
print(type(lfs.currentdir()))
L
TSBOX_BATON_STATS=1 run --seed 1 "$T/cmodule.lua"
if [ "$(stat carried)" = 0 ] && [ "$(stat hand-overs)" -gt 100 ] && grep -q string "$T/out"; then
  pass "after require of a C module (lfs), no thread is carried"
else fail "after require of a C module (lfs), no thread is carried" "$(tail -1 "$T/err")" "$(head -c 300 "$T/out")"; fi

# Carriers come and go with their threads: thousands of short busy
# threads leave a handful of POSIX threads.
lua many.lua <<'L'
local ts = require "tsbox"
local function busy(n) local x = 0 for i = 1, n do x = x + i end return x end
for _ = 1, 400 do
  local batch = {}
  for i = 1, 8 do batch[i] = ts.spawn(busy, 300) end
  for i = 1, 8 do batch[i]:join() end
end
local f = io.open("/proc/self/status")
local text = f:read("a")
f:close()
print("threads", text:match("Threads:%s*(%d+)"))
L
TSBOX_BATON_STATS=1 run --seed 2 "$T/many.lua"
nt=$(sed -n 's/^threads\t//p' "$T/out"); c=$(stat carried)
if [ -n "$nt" ] && [ "$nt" -le 12 ] && [ "${c:-0}" -gt 1000 ]; then
  pass "3 200 short busy threads, carried $c times: $nt POSIX threads remain"
else fail "3 200 short busy threads: a handful of POSIX threads remain" "threads $nt, carried $c" "stderr: $(head -c 300 "$T/err")"; fi

finish
