-- spawn_join.lua: spawn and join N threads (default 10 000) in batches of
-- 100: start 100 threads running an empty function, join them, repeat.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
-- Twin: spawn_join.py.
--
-- usage: tsbox [--sched random|os] bench/spawn_join.lua [N] [batch]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 10000
local B = math.tointeger(tonumber(arg[2])) or 100

local function nothing() end

local done = 0
while done < N do
  local batch = {}
  local k = math.min(B, N - done)
  for i = 1, k do batch[i] = ts.spawn(nothing) end
  for i = 1, k do batch[i]:join() end
  done = done + k
end
print(string.format("threads=%d", done))
