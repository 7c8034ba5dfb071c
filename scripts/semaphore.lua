-- semaphore.lua: two tellers, five customers: a Semaphore counts free tellers.
--
-- Semaphore(2) holds two permits. A customer takes one with acquire() (and
-- waits in line while both are taken) and gives it back with release() when
-- done, which lets the next waiting customer in. So at most two customers are
-- ever served at once, however the threads are scheduled.
-- Customers arrive at staggered times and each needs a different amount of
-- service; the timestamps are tsbox's virtual clock: exact and reproducible,
-- and `ts.sleep(2)` costs no real time.
--
-- Run:  tsbox -s 7 scripts/semaphore.lua
-- Try:  other seeds: who gets served first may change, never the rule
--       "at most 2 at once". With -s 2, customer-5 arrives just as a teller
--       frees up and gets served ahead of customers 3 and 4, who were already
--       waiting: a Semaphore (as in Python) promises no first come, first
--       served. Change Semaphore(2, ...) to 3 and watch the waits shrink; use
--       ts.BoundedSemaphore to catch a release too many.
local ts = require "tsbox"

local TELLERS = 2
local tellers = ts.Semaphore(TELLERS, "tellers")
local stats = ts.Lock("stats")           -- protects the two counters below
local serving, most = 0, 0               -- customers served right now, max seen

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function customer(arrives_at, service_time)
  local me = ts.current_thread().name
  ts.sleep(arrives_at)
  local arrived = ts.time()
  if tellers:acquire(false) then         -- a free teller? take it, don't wait
    say("%s arrives, a teller is free", me)
  else
    say("%s arrives, no teller is free: waits in line", me)
    tellers:acquire()                    -- wait for a permit
  end
  local now = stats:with(function()
    serving = serving + 1
    most = math.max(most, serving)
    return serving
  end)
  say("%s is served after waiting %.3f s (%d of %d tellers busy)", me,
    ts.time() - arrived, now, TELLERS)
  ts.check(now <= TELLERS, "more customers served than there are tellers")
  ts.sleep(service_time)
  stats:with(function() serving = serving - 1 end)
  say("%s leaves", me)
  tellers:release()                      -- give the permit to the next in line
end

-- name, arrival time, service time
local plan = {{"customer-1", 0, 2}, {"customer-2", 0.5, 3}, {"customer-3", 1, 1},
              {"customer-4", 1.5, 2}, {"customer-5", 2, 1.5}}
local threads = {}
for i, c in ipairs(plan) do
  threads[i] = ts.Thread{target = customer, args = {c[2], c[3]}, name = c[1]}
  threads[i]:start()
end
for _, t in ipairs(threads) do t:join() end

say("all %d customers served; at most %d at once (expected at most %d)", #plan, most, TELLERS)
ts.check(most <= TELLERS, "at most " .. TELLERS .. " customers at once, saw " .. most)
