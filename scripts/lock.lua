-- lock.lua: the two races of race.lua, fixed with a Lock.
--
-- A Lock lets one thread at a time into a critical section. Whoever holds it
-- can check and act (or read, add and write) with nobody else in between:
--  1. withdraw() holds the "account" lock across check-then-act, written
--     with a Lua 5.4 to-be-closed variable: `local _ <close> = lock:hold()`
--     acquires now and releases when the block ends, even on an error.
--  2. count() bumps the counter inside `lock:with(fn)`, which runs fn while
--     holding the "counter" lock and releases it afterwards, even on an error.
-- Python's `with lock:` is either of the two.
--
-- Run:  tsbox -s 7 scripts/lock.lua
-- Try:  any seed, --sched rr, --sched os: the result is always right.
--       tsbox --runs 1000 scripts/lock.lua   shows a single outcome.
--       Compare with tsbox scripts/race.lua, the same code without the locks.
--       tsbox --race scripts/lock.lua   is silent: every access of balance
--       and counter is under one lock, so each is ordered after the last.
local ts = require "tsbox"

local balance = 100       -- shared by every thread (an upvalue of the functions)
local counter = 0
local account = ts.Lock("account")
local counter_lock = ts.Lock("counter")

local function say(fmt, ...)
  print(string.format(fmt, ...))
end

-- Story 1: check-then-act, now atomic.
local paid = {}                          -- customer -> cash handed out
local function withdraw(amount)
  local me = ts.current_thread().name
  local _ <close> = account:hold()       -- acquire; released at the end of the block
  if balance >= amount then
    say("%s: balance %d covers %d", me, balance, amount)
    balance = balance - amount           -- nobody can slip in since the check
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

-- Story 2: no more lost updates.
local N = 1000
local function bump() counter = counter + 1 end
local function count()
  for _ = 1, N do
    counter_lock:with(bump)              -- read, add, write as one step
  end
end
local t1 = ts.Thread{target = count, name = "counter-1"}
local t2 = ts.Thread{target = count, name = "counter-2"}
t1:start(); t2:start()
t1:join(); t2:join()
local lost = 2 * N - counter
say("final counter: %d (expected %d, %d updates lost)", counter, 2 * N, lost)

if balance == 0 and cash == 100 and lost == 0 then
  say("verdict: correct, as on every schedule: the locks make both stories atomic")
end
if ts.outcome then
  ts.outcome(string.format("balance=%d paid=%d lost=%s", balance, cash, lost > 0 and "yes" or "no"))
end
ts.check(balance == 0 and cash == 100, "paid " .. cash .. ", balance " .. balance)
ts.check(counter == 2 * N, "lost updates: counter is " .. counter)
