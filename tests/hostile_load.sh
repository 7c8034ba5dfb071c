# Hostile load: inputs that used to hang or crawl (issue 12). Each case has a
# generous --timeout that the old code hit; nothing here measures time.
. "$(dirname "$0")/lib.sh"

# Re-arming the count hook walked the whole stack at every preemption point:
# infinite recursion took minutes to reach "stack overflow".
lua recurse.lua <<'L'
local function f(n) return 1 + f(n + 1) end
print(pcall(f, 1))
L
for sched in "--seed 1" "--seed 2 --quantum 3" "--sched rr" "--sched pct --seed 5"; do
  # shellcheck disable=SC2086
  run $sched --timeout 60 "$T/recurse.lua"
  expect_rc "infinite recursion ends under $sched" 0
  expect_out "in a stack overflow error caught by pcall ($sched)" "stack overflow"
done
run --sched dfs --timeout 60 "$T/recurse.lua"
expect_rc "infinite recursion ends under dfs" 0
expect_err "with the stack overflow as the explored outcome" "stack overflow"

# A thread recursing deep while others race: the same seed gives the same
# schedule, whatever the depth.
lua deep_race.lua <<'L'
local ts = require "tsbox"
x = 0
local function deep(n)
  if n == 0 then
    for _ = 1, 20 do x = x + 1 end
    return 0
  end
  return 1 + deep(n - 1)
end
local t = {}
for i = 1, 3 do t[i] = ts.spawn(function() for _ = 1, 4 do deep(60 * i) end end) end
for i = 1, 3 do t[i]:join() end
print("x", x)
L
run --seed 9 --trace "$T/deep_race.lua"
cp "$T/err" "$T/trace1"
run --seed 9 --trace "$T/deep_race.lua"
if cmp -s "$T/err" "$T/trace1"; then pass "a deep stack keeps the schedule reproducible"
else fail "a deep stack keeps the schedule reproducible" "two traces of seed 9 differ"; fi

# --sched os: a thread waiting for the GIL must keep asking for it, even
# after other threads have switched meanwhile. Three spinners that each
# wait for all three to have started end only if every one gets the GIL.
lua spinners.lua <<'L'
local ts = require "tsbox"
local rounds = 0
for _ = 1, 60 do
  local started = { false, false, false }
  local threads = {}
  for i = 1, 3 do
    threads[i] = ts.spawn(function()
      started[i] = true
      for j = 1, 3 do while not started[j] do end end
    end)
  end
  for i = 1, 3 do threads[i]:join() end
  rounds = rounds + 1
end
print("rounds", rounds)
L
run --sched os --timeout 120 "$T/spinners.lua"
expect_rc "os: spin-waits on flags set by other threads end" 0
expect_out "os: every round of three spinners got through" "rounds	60"

# Two CPU-bound threads interleave: one counts until the other has counted,
# and the other starts only once the first has counted: neither can end
# unless the GIL is taken away from a thread that never blocks.
lua pingpong.lua <<'L'
local ts = require "tsbox"
local a, b = 0, 0
local ta = ts.spawn(function() while b < 1000 do a = a + 1 end end)
local tb = ts.spawn(function()
  while a < 1000 do end
  for _ = 1, 1000 do b = b + 1 end
end)
ta:join()
tb:join()
print("both ran", a >= 1000 and b == 1000)
L
run --sched os --timeout 120 "$T/pingpong.lua"
expect_rc "os: two CPU-bound threads interleave" 0
expect_out "os: each saw the other count" "both ran	true"

# --sched os: 20 000 threads waiting on one Event, then set(): a hand-over
# of the GIL wakes one thread, not every waiter. (Sanitizer builds cannot
# hold that many threads: 2 000 there.)
waiters=20000
[ -n "${TSBOX_SANITIZER:-}" ] && waiters=2000
lua waiters.lua <<'L'
local ts = require "tsbox"
local n = math.tointeger(tonumber(arg[1]))
local go = ts.Event()
local threads = {}
for i = 1, n do threads[i] = ts.spawn(function() go:wait() end) end
go:set()
for i = 1, n do threads[i]:join() end
print("after", ts.active_count())
L
run --sched os --max-threads $((waiters + 1)) --timeout 120 "$T/waiters.lua" "$waiters"
expect_rc "os: $waiters waiters on one Event are all released" 0
expect_out "os: and all of them finish" "after	1"

finish
