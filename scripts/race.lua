-- race.lua: two classic race conditions, with no lock anywhere.
--
--  1. The overdrawn account. Alice (at the ATM) and Bob (at a teller) both
--     withdraw 100 from one account holding 100. Each does check-then-act:
--     "is there enough money?" and then "take it". If the scheduler switches
--     threads between the check and the act, both see 100, both take 100,
--     and the balance ends at -100.
--  2. The lost update. Two threads each run `counter = counter + 1` 1000
--     times. That line is several VM instructions (read, add, write); a
--     switch between the read and the write makes one thread overwrite the
--     other's work, so the total ends below 2000.
--
-- Run:  tsbox -s 7 scripts/race.lua       (every seed is one reproducible run)
-- Try:  other seeds (-s 1, -s 2, ...) and compare; the overdraft shows only
--       on some of them, which is exactly what makes races so nasty.
--       tsbox --runs 1000 scripts/race.lua   groups 1000 schedules by outcome.
--       tsbox scripts/lock.lua               the same two stories, fixed.
-- Exit status 1 means a ts.check failed: tsbox prints a replay command.
local ts = require "tsbox"

-- Deliberately shared state: plain globals, read and written by every thread.
-- luacheck: globals balance counter
balance = 100
counter = 0

local function say(fmt, ...)
  print(string.format(fmt, ...))
end

-- Story 1: check-then-act on the account.
local function withdraw(amount)
  local me = ts.current_thread().name
  if balance >= amount then              -- check...
    say("%s: balance %d covers %d", me, balance, amount)  -- the race window
    balance = balance - amount           -- ...then act, on a stale check
    say("%s: took %d, balance now %d", me, amount, balance)
  else
    say("%s: refused, balance %d is less than %d", me, balance, amount)
  end
end

say("account opens with balance %d", balance)
local alice = ts.Thread{target = withdraw, args = {100}, name = "alice"}
local bob = ts.Thread{target = withdraw, args = {100}, name = "bob"}
alice:start(); bob:start()
alice:join(); bob:join()
say("final balance: %d (expected 0, never below 0)", balance)

-- Story 2: the lost update.
local N = 1000
local function count()
  for _ = 1, N do
    counter = counter + 1                -- read, add, write: not atomic
  end
end
local t1 = ts.Thread{target = count, name = "counter-1"}
local t2 = ts.Thread{target = count, name = "counter-2"}
t1:start(); t2:start()
t1:join(); t2:join()
local lost = 2 * N - counter
say("final counter: %d (expected %d, %d updates lost)", counter, 2 * N, lost)

if balance < 0 or lost > 0 then
  say("verdict: RACE (overdrawn: %s, updates lost: %d); the fix is scripts/lock.lua",
    balance < 0 and "yes" or "no", lost)
else
  say("verdict: no race this time; run it again or try another seed")
end
if ts.outcome then
  ts.outcome(string.format("balance=%d lost=%s", balance, lost > 0 and "yes" or "no"))
end
ts.check(balance >= 0, "the balance went negative: " .. balance)
ts.check(counter == 2 * N, "lost updates: counter is " .. counter)
