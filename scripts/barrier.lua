-- barrier.lua: three tellers open their counters together: a Barrier.
--
-- Each teller prepares a counter (count the cash, log in, ...), which takes
-- a different time, then calls wait() on a Barrier for 3 parties. The first
-- two to arrive block there. When the third arrives, the barrier runs its
-- action once ("the bank opens") and then releases all three together: nobody
-- starts serving before the slowest teller is ready. wait() returns each
-- thread's arrival index: 0 for the first to arrive, 2 for the last.
-- Timestamps are tsbox's virtual clock: exact and reproducible, and
-- `ts.sleep(2.5)` costs no real time.
--
-- Run:  tsbox -s 7 scripts/barrier.lua      (this is what `make run` shows)
-- Try:  other seeds (-s 1, -s 2): the order after the release may change,
--       the rule never does. --sched os runs on the real clock instead.
--       Set parties=4: all three wait for a fourth teller who never comes,
--       and tsbox reports the threads blocked forever (exit 3).
--       Next: scripts/race.lua, a bug that only some schedules show.
local ts = require "tsbox"

local PREPARE = {["teller-1"] = 2.5, ["teller-2"] = 1.0, ["teller-3"] = 1.5}
local opened_at                          -- set by the barrier's action
local ready, started = {}, {}            -- teller name -> virtual time

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local counters = ts.Barrier{parties = 3, name = "open counters", action = function()
  opened_at = ts.time()
  say("all counters ready: the bank opens at %.3f", opened_at)
end}

local function teller()
  local me = ts.current_thread().name
  say("%s prepares the counter (%.1f s)", me, PREPARE[me])
  ts.sleep(PREPARE[me])
  ready[me] = ts.time()
  say("%s is ready and arrives at the barrier (%d already waiting)", me, counters.n_waiting)
  local index = counters:wait()          -- blocks until all 3 have arrived
  say("%s passes the barrier (arrival index %d%s)", me, index,
    index == counters.parties - 1 and ", the last one" or "")
  ts.check(opened_at ~= nil and ts.time() >= opened_at, me .. " passed before the bank opened")
  started[me] = ts.time()
  say("%s starts serving customers", me)
end

local tellers = {}
for i = 1, 3 do
  tellers[i] = ts.Thread{target = teller, name = "teller-" .. i}
  tellers[i]:start()
end
for _, t in ipairs(tellers) do t:join() end

local last_ready, first_start = 0, math.huge
for name in pairs(PREPARE) do
  last_ready = math.max(last_ready, ready[name])
  first_start = math.min(first_start, started[name])
end
ts.check(first_start >= last_ready, "a teller started before the last one was ready")
say("all 3 tellers at work: last one ready at %.3f, first one serving at %.3f",
  last_ready, first_start)
