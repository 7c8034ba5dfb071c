-- producer_consumer.lua: cashiers take orders, cooks prepare them, through
-- a bounded Queue; a clean shutdown with join() and one sentinel per cook.
--
-- Two cashiers (producers) put orders on a Queue that holds at most 3; three
-- cooks (consumers) get orders from it. When the rail is full, q:put()
-- blocks the cashier until a cook takes an order; when it is empty, q:get()
-- blocks the cook until an order comes. Each cook calls q:task_done() once
-- an order is ready, and q:join() waits until every order put has been
-- marked done. Shutdown then puts one STOP sentinel per cook: each cook
-- stops at the first STOP it takes, so every cook ends and can be joined.
-- Timestamps are tsbox's virtual clock: exact, and ts.sleep costs no real time.
--
-- Run:  tsbox -s 3 scripts/producer_consumer.lua
-- Try:  other seeds: who cooks what changes; every order is cooked exactly
--       once and the rail never holds more than 3 (`tsbox --runs 300
--       scripts/producer_consumer.lua`: a single outcome). Queue{maxsize = 1}
--       makes the cashiers wait more ("rail full"). Drop the `q:task_done()`
--       line: q:join() never returns and tsbox reports a deadlock (exit 3)
--       naming Condition "orders.all_tasks_done". Put only 2 STOPs: one cook
--       waits forever on Condition "orders.not_empty" (exit 3 as well).
--       `tsbox --race scripts/producer_consumer.lua` finds no data race: the
--       orders go from cashier to cook through the Queue, which orders them.
--       Take away the `stats` lock and it reports `upvalue "most_on_rail"`,
--       which both cashiers update.
local ts = require "tsbox"

local ORDERS_PER_CASHIER, COOKS = 5, 3
local STOP = setmetatable({}, { __tostring = function() return "STOP" end })
local q = ts.Queue { maxsize = 3, name = "orders" }
local cooked = {}                        -- order -> cook (each order is its own key)
local most_on_rail = 0                   -- largest q:qsize() seen
local stats = ts.Lock("stats")           -- both cashiers update most_on_rail

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function cashier(letter, pace)
  local me = ts.current_thread().name
  for i = 1, ORDERS_PER_CASHIER do
    ts.sleep(pace)                       -- taking the order
    local order = letter .. i
    if q:full() then say("%s has %s but the rail is full: waits", me, order) end
    q:put(order)                         -- blocks while 3 orders wait
    local n = q:qsize()                  -- (may already have changed: just a look)
    stats:with(function() most_on_rail = math.max(most_on_rail, n) end)
    say("%s puts %s on the rail (%d waiting)", me, order, n)
  end
  say("%s is done taking orders", me)
end

local function cook(speed)
  local me = ts.current_thread().name
  while true do
    local order = q:get()                -- blocks while the rail is empty
    if order == STOP then
      q:task_done()
      say("%s takes STOP and goes home", me)
      return
    end
    say("%s starts %s", me, order)
    ts.sleep(speed)                      -- cooking
    ts.check(cooked[order] == nil, "order " .. order .. " cooked twice")
    cooked[order] = me
    say("%s serves %s", me, order)
    q:task_done()                        -- this order is finished
  end
end

local cashiers = {
  ts.Thread { target = cashier, args = { "A", 0.5 }, name = "cashier-A" },
  ts.Thread { target = cashier, args = { "B", 0.7 }, name = "cashier-B" },
}
local cooks = {}
for i = 1, COOKS do
  cooks[i] = ts.Thread { target = cook, args = { 1.0 + 0.4 * i }, name = "cook-" .. i }
end
for _, t in ipairs(cooks) do t:start() end
for _, t in ipairs(cashiers) do t:start() end

for _, t in ipairs(cashiers) do t:join() end   -- no more orders will come
say("main: all orders taken; waiting for the kitchen (q:join())")
q:join()                                       -- every order put is task_done
say("main: every order served; sending %d STOPs", COOKS)
for _ = 1, COOKS do q:put(STOP) end
for _, t in ipairs(cooks) do t:join() end

local n, per_cook = 0, {}
for _, who in pairs(cooked) do
  n = n + 1
  per_cook[who] = (per_cook[who] or 0) + 1
end
say("%d orders cooked (%s), at most %d waiting on the rail; queue %s", n,
  string.format("cook-1: %d, cook-2: %d, cook-3: %d", per_cook["cook-1"] or 0, per_cook["cook-2"] or 0,
    per_cook["cook-3"] or 0), most_on_rail, tostring(q))
ts.outcome(string.format("cooked=%d rail<=%d", n, most_on_rail))
ts.check(n == 2 * ORDERS_PER_CASHIER, "orders lost: " .. n)
ts.check(most_on_rail <= 3, "more orders on the rail than it holds")
