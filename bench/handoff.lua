-- handoff.lua: two threads hand the GIL back and forth with ts.yield().
--
-- A shared `turn` says whose move it is; a thread that is not on turn
-- yields until it is, then passes the turn. N round trips are exactly 2*N
-- handoffs, whatever the scheduler does in between (a yield that comes
-- back to the same thread, or a preemption, costs time but is no handoff).
--
-- Timing: none inside (ts.time() and os.clock() are virtual under the
-- deterministic schedulers). bench/harness.py measures wall time around
-- the process and subtracts the start-up time of bench/empty.lua run with
-- the same options. Twin: handoff.py (CPython, two Events).
--
-- usage: tsbox [--sched random|rr|os] bench/handoff.lua [N]
local ts = require "tsbox"

local N = math.tointeger(tonumber(arg[1])) or 20000

local turn = 1

local function player(me, other)
  local yields = 0
  for _ = 1, N do
    while turn ~= me do
      ts.yield()
      yields = yields + 1
    end
    turn = other
  end
  return yields
end

local a = ts.spawn(player, 1, 2)
local b = ts.spawn(player, 2, 1)
a:join()
b:join()
print(string.format("handoffs=%d yields=%d", 2 * N, a.result[1] + b.result[1]))
