-- template.lua: a scenario to copy. Two workers share state, an invariant
-- says what must hold whatever the schedule, and an outcome names how each
-- run ended so that an exploration can count them.
--
-- Run:  tsbox --runs 1000 --seed 1 scripts/template.lua            (locked)
--       tsbox --runs 1000 --seed 1 scripts/template.lua unlocked   (racy)
-- Then: cp scripts/template.lua my.lua, and replace the state, the
--       workers, the invariant and the outcome with your own.
local ts = require "tsbox"

local locked = arg[1] ~= "unlocked"
local TICKETS = 10

-- 1. Shared state: any Lua value the threads can reach (here a table that
--    both workers see as an upvalue). ts.shared names it in --race reports.
local box = ts.shared({ left = TICKETS, sold = {} }, "box")
local lock = ts.Lock("box office")

-- 2. The workers: plain functions, started as named threads.
local function sell_one(seller)
  if box.left > 0 then                       -- check ...
    box.left = box.left - 1                  -- ... then act
    table.insert(box.sold, seller)
  end
end

local function seller(name, wanted)
  for _ = 1, wanted do
    if locked then
      lock:with(sell_one, name)              -- Python: `with lock: sell_one(name)`
    else
      sell_one(name)
    end
  end
end

local north = ts.Thread{target = seller, args = {"north", 7}, name = "north"}
local south = ts.Thread{target = seller, args = {"south", 7}, name = "south"}
north:start(); south:start()
north:join(); south:join()

-- 3. The invariant: checked once the workers are done. A failed check is
--    reported with its thread, line and replay command; the run goes on.
ts.check(box.left >= 0 and box.left + #box.sold == TICKETS,
  string.format("%d tickets left and %d sold: %d were sold twice or lost",
    box.left, #box.sold, #box.sold + box.left - TICKETS))

-- 4. The outcome: runs are grouped by it, so keep it coarse.
ts.outcome(string.format("sold %d of %d", #box.sold, TICKETS))
