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

finish
