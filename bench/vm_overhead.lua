-- vm_overhead.lua: a pure-Lua CPU loop (N iterations of integer
-- arithmetic, default 10 million), run both by plain `lua5.4` and by tsbox.
-- It does not use tsbox, so the ratio of the two wall times is what tsbox's
-- count hook (preemption points every K VM instructions) and scheduler cost
-- a single busy thread.
--
-- Timing: none inside (os.clock is virtual under tsbox's deterministic
-- schedulers); bench/harness.py measures wall time around each process and
-- subtracts the start-up time of bench/empty.lua run the same way.
--
-- usage: lua5.4 bench/vm_overhead.lua [N]    tsbox [flags] bench/vm_overhead.lua [N]
local N = math.tointeger(tonumber(arg and arg[1])) or 10000000

local x = 0
for i = 1, N do
  x = (x + i * 7) % 1000003
end
print(string.format("iterations=%d x=%d", N, x))
