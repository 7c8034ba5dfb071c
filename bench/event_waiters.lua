-- event_waiters.lua: W threads (default 20 000) wait on one Event; the main
-- thread sets it once all of them are waiting, then joins them all.
-- Each waiter needs the GIL once after the wake-up: the figure is how the
-- cost per waiter grows with their number.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
-- Baseline: the same script with a tenth of the waiters, and under random.
--
-- usage: tsbox --max-threads 30000 [flags] bench/event_waiters.lua [W]
local ts = require "tsbox"

local W = math.tointeger(tonumber(arg[1])) or 20000

local go = ts.Event()
local waiting, count = 0, ts.Lock()
local all_in = ts.Event()
local threads = {}
for i = 1, W do
  threads[i] = ts.spawn(function()
    count:with(function()
      waiting = waiting + 1
      if waiting == W then all_in:set() end
    end)
    go:wait()
  end)
end
all_in:wait()
go:set()
for i = 1, W do threads[i]:join() end
print(string.format("waiters=%d alive=%d", W, ts.active_count()))
