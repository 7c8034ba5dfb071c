-- rss_per_thread.lua: N live threads parked on one ts.Event.
--
-- Each thread passes a Barrier of N+1 parties (so every one of them has
-- really run) and then waits on the Event. The main thread, once through
-- the Barrier, prints "parked" and blocks reading a line from stdin; while
-- it waits, bench/harness.py reads VmHWM (peak RSS) from
-- /proc/<pid>/status of the process, then writes a line to let it finish.
-- The figure is (VmHWM with N threads - VmHWM with 1 thread) / (N - 1).
-- No timing. Twin: rss_per_thread.py.
--
-- usage: tsbox [--sched random|os] bench/rss_per_thread.lua [N] < go
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 1000

local barrier = ts.Barrier(N + 1)
local go = ts.Event()

local function parked()
  barrier:wait()
  go:wait()
end

local threads = {}
for i = 1, N do threads[i] = ts.spawn(parked) end
barrier:wait()
io.write(string.format("parked threads=%d\n", N))
io.stdout:flush()
io.read("l")
go:set()
for i = 1, N do threads[i]:join() end
