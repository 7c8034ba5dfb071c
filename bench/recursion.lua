-- recursion.lua: a Lua function that recurses to depth D (default 100 000)
-- and returns, R times (default 3), run both by plain `lua5.4` and by
-- tsbox. Under tsbox the count hook is armed at every preemption point, so
-- this shows what a deep stack costs the scheduler.
--
-- Timing: none inside; bench/harness.py measures wall time around each
-- process minus the start-up time of bench/empty.lua run the same way.
--
-- usage: lua5.4 bench/recursion.lua [D] [R]    tsbox [flags] bench/recursion.lua [D] [R]
local D = math.tointeger(tonumber(arg and arg[1])) or 100000
local R = math.tointeger(tonumber(arg and arg[2])) or 3

local function depth(n)
  if n == 0 then return 0 end
  return 1 + depth(n - 1)
end

local sum = 0
for _ = 1, R do sum = sum + depth(D) end
print(string.format("depth=%d sum=%d", D, sum))
