-- expect: race field "total" of
-- `self.total` in a method, called on one object by two threads.
local ts = require "tsbox"
local Counter = {}
Counter.__index = Counter
function Counter.new() return setmetatable({ total = 0 }, Counter) end
function Counter:add(n) self.total = self.total + n end
local c = Counter.new()
local a = ts.spawn(function() c:add(1) end)
local b = ts.spawn(function() c:add(2) end)
a:join(); b:join()
print(c.total)
