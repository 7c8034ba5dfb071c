-- lock_uncontended.lua: acquire + release of an uncontended ts.Lock(), N
-- times in one thread. One "op" is one acquire plus one release.
--
-- Timing: none inside; bench/harness.py measures wall time around the
-- process minus the start-up time of bench/empty.lua with the same options.
-- Twins: lock_uncontended.py (CPython threading.Lock) and lock_floor.lua
-- (the same loop calling two empty Lua methods: the floor).
--
-- usage: tsbox [--sched random|os] bench/lock_uncontended.lua [N]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 1000000

local lock = ts.Lock()
for _ = 1, N do
  lock:acquire()
  lock:release()
end
assert(not lock:locked())
print(string.format("ops=%d", N))
