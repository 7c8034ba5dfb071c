-- event.lua: the bank opens: an Event is a flag that threads can wait for.
--
-- Customers arrive early and wait() on the Event "bank open"; at 9.000 the
-- manager calls set(), which wakes every waiter at once, and anyone who
-- arrives later passes straight through (the flag stays set until clear()).
-- A second Event, "transactions open", is set once the tills are counted:
-- customers inside may chat, but wait for it before doing any business.
-- Timestamps are tsbox's virtual clock (read it as the time of day): exact,
-- reproducible, and `ts.sleep(9)` costs no real time.
--
-- Run:  tsbox -s 7 scripts/event.lua
-- Try:  other seeds: early customers wake in a different order, yet nobody
--       enters before 9.000 or does business before 9.500.
--       Make the manager forget to set() "transactions open": customers wait
--       forever, and tsbox reports that every thread is blocked (exit 3).
local ts = require "tsbox"

local bank_open = ts.Event("bank open")
local transactions_open = ts.Event("transactions open")
local OPENS, TILLS_READY = 9, 9.5

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function customer(arrives_at)
  local me = ts.current_thread().name
  ts.sleep(arrives_at)
  if bank_open:is_set() then
    say("%s arrives: the door is open, walks in", me)
  else
    say("%s arrives: the door is closed, waits", me)
  end
  bank_open:wait()                       -- returns at once if already set
  ts.check(ts.time() >= OPENS, me .. " entered before the bank opened")
  say("%s is inside, waits for the tills", me)
  transactions_open:wait()
  ts.check(ts.time() >= TILLS_READY, me .. " did business before the tills were ready")
  say("%s makes a deposit", me)
end

local function manager()
  ts.sleep(OPENS)
  say("manager unlocks the door: bank open")
  bank_open:set()                        -- wakes every waiting customer
  ts.sleep(TILLS_READY - OPENS)          -- count the tills
  say("manager: tills counted, transactions open")
  transactions_open:set()
end

local threads = {ts.Thread{target = manager, name = "manager"}}
for i, t in ipairs({8.0, 8.5, 8.75, 9.25}) do
  threads[#threads + 1] = ts.Thread{target = customer, args = {t}, name = "customer-" .. i}
end
for _, t in ipairs(threads) do t:start() end
for _, t in ipairs(threads) do t:join() end

say("day done: %d customers served, none before %.3f", #threads - 1, TILLS_READY)
