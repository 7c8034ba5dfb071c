-- Each teller guards the balance with a lock, but not the same lock: the
-- updates still get lost.
local ts = require "tsbox"

local account = ts.shared({ balance = 0 }, "account")
local function teller(lock)
  return function()
    for _ = 1, 3 do
      lock:acquire()
      account.balance = account.balance + 10
      lock:release()
    end
  end
end
local a = ts.Thread{name = "teller-1", target = teller(ts.Lock("lock-1"))}
local b = ts.Thread{name = "teller-2", target = teller(ts.Lock("lock-2"))}
a:start(); b:start(); a:join(); b:join()
ts.check(account.balance == 60, "lost deposits: balance is " .. account.balance)
