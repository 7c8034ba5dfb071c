-- Check-then-act on a shared table field: both threads may see the stock
-- before either takes from it. tests/explain.sh draws it with --explain.
local ts = require "tsbox"

local stock = ts.shared({ items = 1 }, "stock")
local function buy()
  if stock.items > 0 then
    stock.items = stock.items - 1
  end
end
local a = ts.Thread{target = buy, name = "buyer-1"}
local b = ts.Thread{target = buy, name = "buyer-2"}
a:start(); b:start(); a:join(); b:join()
ts.check(stock.items >= 0, "oversold: items is " .. stock.items)
