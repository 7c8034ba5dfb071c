-- busy_threads.lua: T threads (default 8) that only compute, sharing N loop
-- iterations in all (default 500 000): each runs `x = x + 1` on a global
-- in a loop of N / T iterations, so every thread is always runnable and the
-- scheduler switches among all of them. The same work for every T: the
-- steps/s figure shows what switching among more threads costs.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options,
-- and reads the VM instruction count from `tsbox -v`.
--
-- usage: tsbox -v [flags] bench/busy_threads.lua [T] [N]
local ts = require "tsbox"

local T = math.tointeger(tonumber(arg[1])) or 8
local N = math.tointeger(tonumber(arg[2])) or 500000

-- luacheck: globals x
x = 0
local threads = {}
for i = 1, T do
  threads[i] = ts.spawn(function()
    for _ = 1, N // T do x = x + 1 end
  end)
end
for i = 1, T do threads[i]:join() end
print(string.format("threads=%d iterations=%d", T, x))
