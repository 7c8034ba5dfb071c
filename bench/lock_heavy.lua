-- lock_heavy.lua: 4 threads each add to one shared table N times (default
-- 20000), every update under one ts.Lock: a lock-bound workload, used by
-- bench/harness.py to measure what --race costs where every access is
-- guarded (lock sets, vector-clock joins at every acquire).
--
-- Timing: none inside; the harness measures wall time around the process.
--
-- usage: tsbox [--race] bench/lock_heavy.lua [N] [threads]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 20000
local T = math.tointeger(tonumber(arg[2])) or 4

local lock = ts.Lock("tally")
local tally = { total = 0, by = {} }

local function worker(id)
  for _ = 1, N do
    lock:acquire()
    tally.total = tally.total + 1
    tally.by[id] = (tally.by[id] or 0) + 1
    lock:release()
  end
end

local threads = {}
for i = 1, T do threads[i] = ts.spawn(worker, i) end
for i = 1, T do threads[i]:join() end
assert(tally.total == N * T)
print(string.format("total=%d", tally.total))
