-- handoff_event.lua: the same ping-pong as handoff.py, in tsbox: two
-- threads and two Events; each waits for its own Event, clears it and sets
-- the other's. N round trips are 2*N handoffs.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
--
-- usage: tsbox [--sched random|os] bench/handoff_event.lua [N]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 20000

local ev = { ts.Event(), ts.Event() }

local function player(me, other)
  local mine, theirs = ev[me], ev[other]
  for _ = 1, N do
    mine:wait()
    mine:clear()
    theirs:set()
  end
end

local a = ts.spawn(player, 1, 2)
local b = ts.spawn(player, 2, 1)
ev[1]:set()
a:join()
b:join()
print(string.format("handoffs=%d", 2 * N))
