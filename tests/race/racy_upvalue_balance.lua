-- expect: race upvalue "balance"
-- A local captured by two thread closures: check-then-withdraw.
local ts = require "tsbox"
local balance = 100
local function withdraw(amount)
  if balance >= amount then balance = balance - amount end
end
local a = ts.Thread{target = withdraw, args = {100}, name = "alice"}
local b = ts.Thread{target = withdraw, args = {100}, name = "bob"}
a:start(); b:start(); a:join(); b:join()
print(balance)
