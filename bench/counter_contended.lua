-- counter_contended.lua: 4 threads each add 1 to a shared counter N times,
-- every increment under one shared ts.Lock(). Prints the final count,
-- which must be 4*N.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
-- Twin: counter_contended.py.
--
-- usage: tsbox [--sched random|rr|os] bench/counter_contended.lua [N] [threads]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 10000
local T = math.tointeger(tonumber(arg[2])) or 4

local lock = ts.Lock()
local counter = 0

local function worker()
  for _ = 1, N do
    lock:acquire()
    counter = counter + 1
    lock:release()
  end
end

local threads = {}
for i = 1, T do threads[i] = ts.spawn(worker) end
for i = 1, T do threads[i]:join() end
assert(counter == T * N, "lost updates under a Lock")
print(string.format("increments=%d", counter))
