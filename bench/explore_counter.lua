-- explore_counter.lua: the lost update. 2 threads each add 1 to a shared
-- counter N times (default 100) with no lock: `counter = counter + 1` is a
-- read, an add and a write, and a switch between the read and the write
-- loses the other thread's increments. The run's outcome is the final
-- count: `counter=200` when no update was lost, less when one was.
--
-- Used by bench/harness.py under `tsbox --runs N` (schedules explored per
-- second, and the share of runs that expose the lost update). Timing: none
-- inside; the harness measures wall time around the whole exploration.
-- Twin: explore_counter.py (one fresh CPython process per run).
--
-- usage: tsbox [--sched random|pct|rr|dfs] [--runs N] bench/explore_counter.lua [N] [threads]
local ts = require "tsbox"
-- luacheck: globals counter

local N = math.tointeger(tonumber(arg[1])) or 100
local T = math.tointeger(tonumber(arg[2])) or 2

counter = 0   -- a global, as shared state usually is in race scenarios

local function worker()
  for _ = 1, N do
    counter = counter + 1
  end
end

local threads = {}
for i = 1, T do threads[i] = ts.spawn(worker) end
for i = 1, T do threads[i]:join() end
ts.outcome("counter=" .. counter)
