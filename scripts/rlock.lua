-- rlock.lua: why an RLock exists: a thread taking a lock it already holds.
--
-- transfer() holds the "account" lock while it calls withdraw() and
-- deposit(), and each of those also takes the same lock, because they can be
-- called on their own too. An RLock (re-entrant lock) counts how many times
-- its owner acquired it and is free once released as many times, so the
-- nested acquire just works. A plain Lock does not know who holds it: the
-- second acquire waits for the lock to be released... by the very thread
-- that is waiting. That thread is stuck forever: a self-deadlock.
--
-- Run:  tsbox -s 7 scripts/rlock.lua         (RLock: works on every schedule)
-- Try:  tsbox -s 7 scripts/rlock.lua lock    (plain Lock: tsbox reports the
--       deadlock, shows where each thread waits and exits with status 3)
--       tsbox -v -s 7 scripts/rlock.lua lock adds each thread's traceback.
local ts = require "tsbox"

local kind = arg[1] == "lock" and "Lock" or "RLock"   -- `tsbox rlock.lua lock`
local account = ts[kind]("account")
local balances = {checking = 300, savings = 0}

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function withdraw(from, amount)
  local _ <close> = account:hold()       -- 2nd acquire when called by transfer
  balances[from] = balances[from] - amount
  say("%s: withdrew %d from %s, now holding %s", ts.current_thread().name,
    amount, from, tostring(account))
end

local function deposit(to, amount)
  local _ <close> = account:hold()
  balances[to] = balances[to] + amount
  say("%s: deposited %d to %s", ts.current_thread().name, amount, to)
end

local function transfer(from, to, amount)
  local _ <close> = account:hold()       -- 1st acquire: both legs happen together
  say("%s: transfer %d from %s to %s, holding %s", ts.current_thread().name,
    amount, from, to, tostring(account))
  withdraw(from, amount)                 -- takes the same lock again
  deposit(to, amount)
end

say("the account lock is %s %s", kind == "Lock" and "a" or "an", kind)
local teller = ts.Thread{target = transfer, args = {"checking", "savings", 100}, name = "teller-1"}
local clerk = ts.Thread{target = function()
  ts.sleep(1)
  deposit("checking", 50)
end, name = "clerk"}
teller:start(); clerk:start()
teller:join(); clerk:join()

local total = balances.checking + balances.savings
say("final balances: checking %d, savings %d, total %d (expected 250, 100, 350)",
  balances.checking, balances.savings, total)
ts.check(total == 350, "money appeared or vanished: total " .. total)
