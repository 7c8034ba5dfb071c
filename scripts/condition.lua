-- condition.lua: a teller sleeps until customers show up: a Condition.
--
-- The line of customers is a plain Lua table, guarded by the Condition's
-- lock. A customer takes the lock, joins the end of the line and calls
-- notify() to wake the teller. The teller takes the lock and, while the line
-- is empty, calls wait(): that releases the lock (so customers can get in),
-- sleeps until notified, then takes the lock back before returning. Always
-- re-check the state in a loop after waking (or use cond:wait_for(pred)):
-- a wake-up means "something changed", not "it is your turn".
-- The teller knows how many customers come today, so the story ends on its
-- own: nobody waits forever. Timestamps are tsbox's virtual clock.
--
-- Run:  tsbox -s 7 scripts/condition.lua
-- Try:  other seeds; replace the while loop by cond:wait_for(function()
--       return #line > 0 end); drop the notify() and see tsbox report the
--       teller blocked forever (exit 3).
local ts = require "tsbox"

local cond = ts.Condition(nil, "customer waiting")
local line = {}                          -- customers in line, guarded by cond
local CUSTOMERS = {{"ann", 0.5}, {"ben", 1.0}, {"cat", 1.2}, {"dan", 4.0}}

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function customer(arrives_at)
  local me = ts.current_thread().name
  ts.sleep(arrives_at)
  cond:with(function()
    line[#line + 1] = me
    say("%s joins the line (%d in line), rings the bell", me, #line)
    cond:notify()                        -- wake the teller if it is waiting
  end)
end

local served = {}
local function teller()
  for _ = 1, #CUSTOMERS do
    local who = cond:with(function()
      while #line == 0 do
        say("teller: nobody in line, waits")
        cond:wait()                      -- releases the lock while waiting
      end
      return table.remove(line, 1)       -- first come, first served
    end)
    say("teller serves %s", who)
    served[#served + 1] = who
    ts.sleep(1)                          -- serving takes a second, lock not held
  end
  say("teller: all %d customers served, closing the counter", #served)
end

local threads = {ts.Thread{target = teller, name = "teller"}}
for _, c in ipairs(CUSTOMERS) do
  threads[#threads + 1] = ts.Thread{target = customer, args = {c[2]}, name = c[1]}
end
for _, t in ipairs(threads) do t:start() end
for _, t in ipairs(threads) do t:join() end

local order = table.concat(served, ", ")
say("served in order: %s (expected ann, ben, cat, dan)", order)
ts.check(order == "ann, ben, cat, dan", "customers served out of order: " .. order)
