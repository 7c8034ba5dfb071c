-- expect: silent
-- A nested RLock: the inner acquire re-enters, every access is locked.
local ts = require "tsbox"
local rlock = ts.RLock("account")
local account = { balance = 100 }
local function deposit(n) rlock:with(function() account.balance = account.balance + n end) end
local function transfer(n)
  rlock:acquire()
  deposit(n)
  deposit(-n)
  rlock:release()
end
local a, b = ts.spawn(transfer, 10), ts.spawn(transfer, 20)
a:join(); b:join()
print(account.balance)
