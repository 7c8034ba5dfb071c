-- lock_floor.lua: the floor of lock_uncontended.lua. The same loop and
-- the same method-call shape (`obj:acquire(); obj:release()`), but the two
-- methods are empty Lua functions, so the difference to
-- lock_uncontended.lua is what tsbox's Lock itself costs.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
--
-- usage: tsbox [--sched random|os] bench/lock_floor.lua [N]
local N = math.tointeger(tonumber(arg[1])) or 1000000

local lock = {}
function lock.acquire(_) end
function lock.release(_) end

for _ = 1, N do
  lock:acquire()
  lock:release()
end
print(string.format("ops=%d", N))
