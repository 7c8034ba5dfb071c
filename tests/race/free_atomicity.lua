-- expect: silent
-- A check-then-act whose every access is locked: an atomicity bug (the
-- balance can go negative), not a data race. Exploration finds it.
local ts = require "tsbox"
local lock = ts.Lock("account")
local balance = 100
local function withdraw(n)
  local ok = lock:with(function() return balance >= n end)
  ts.yield()
  if ok then lock:with(function() balance = balance - n end) end
end
local a, b = ts.spawn(withdraw, 100), ts.spawn(withdraw, 100)
a:join(); b:join()
print(balance)
