-- race.lua: two classic race conditions, with no lock anywhere.
--
--  1. The overdrawn account. Alice (at the ATM) and Bob (at a teller) both
--     withdraw 100 from one account holding 100. Each does check-then-act:
--     "is there enough money?" and then "take it". If the scheduler switches
--     threads between the check and the act, both see 100, both take 100,
--     and the balance ends at -100 (or, rarer and sneakier, at 0 after
--     paying out 200: one debit overwrote the other).
--  2. The lost update. Two threads each run `counter = counter + 1` 1000
--     times. That line is several VM instructions (read, add, write); a
--     switch between the read and the write makes one thread overwrite the
--     other's work, so the total ends below 2000.
--
-- Run:  tsbox -s 1 scripts/race.lua       (every seed is one reproducible run)
-- Try:  other seeds (-s 2, -s 4, ...): the overdraft shows only on some,
--       which is exactly what makes races so nasty.
--       tsbox --runs 1000 scripts/race.lua   groups 1000 schedules by outcome.
--       tsbox scripts/lock.lua               the same two stories, fixed.
--       tsbox --sched os scripts/race.lua    real 5 ms time slices, as in
--       CPython: the threads finish before a switch, so the bug hides. It is
--       still there, and that is why tsbox controls the schedule.
--       tsbox --race -s 4 scripts/race.lua   now ask tsbox why: it names
--       each variable that two threads touch with nothing ordering them
--       (global "balance", global "counter"), with both lines and values.
--       It reports the race on every seed, even one where the totals come
--       out right: it watches the accesses, not the outcome.
--       tsbox --race --timeline race.html -s 1 scripts/race.lua   draws it.
-- Exit status 1 means a ts.check failed or (with --race) a race was found:
-- tsbox prints a replay command.
local ts = require "tsbox"

-- Deliberately shared state: plain globals, read and written by every thread.
-- luacheck: globals balance counter
balance = 100
counter = 0

local function say(fmt, ...)
  print(string.format(fmt, ...))
end

-- Story 1: check-then-act on the account.
local paid = {}                          -- customer -> cash handed out
local function withdraw(amount)
  local me = ts.current_thread().name
  if balance >= amount then              -- check...
    say("%s: balance %d covers %d", me, balance, amount)  -- the race window
    balance = balance - amount           -- ...then act, on a stale check
    paid[me] = amount
    say("%s: gets %d in cash", me, amount)
  else
    say("%s: refused, balance %d is less than %d", me, balance, amount)
  end
end

say("account opens with balance %d", balance)
local alice = ts.Thread{target = withdraw, args = {100}, name = "alice"}
local bob = ts.Thread{target = withdraw, args = {100}, name = "bob"}
alice:start(); bob:start()
alice:join(); bob:join()
local cash = (paid.alice or 0) + (paid.bob or 0)
say("final balance: %d after paying out %d (expected 0 after paying out 100)", balance, cash)

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

local bank_ok = balance >= 0 and balance + cash == 100
if bank_ok and lost == 0 then
  say("verdict: no race this time; run it again or try another seed")
else
  say("verdict: RACE (account %s, %d counter updates lost); the fix is scripts/lock.lua",
    bank_ok and "fine" or balance < 0 and "overdrawn" or "paid out 200 but debited 100", lost)
end
if ts.outcome then
  ts.outcome(string.format("balance=%d paid=%d lost=%s", balance, cash, lost > 0 and "yes" or "no"))
end
ts.check(balance >= 0, "the balance went negative: " .. balance)
ts.check(balance + cash == 100, "money vanished: paid " .. cash .. ", balance " .. balance)
ts.check(counter == 2 * N, "lost updates: counter is " .. counter)
