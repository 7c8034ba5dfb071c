-- ipairs ends at the first absent element, a read of the set of keys:
-- a walk racing with an append may or may not see the new element.
local ts = require "tsbox"
local list = { 1, 2, 3 }
local n = 0
local reader = ts.spawn(function() for _ in ipairs(list) do n = n + 1 end end)
local writer = ts.spawn(function() list[#list + 1] = 4 end)
reader:join(); writer:join()
ts.check(n == 3, "the walk saw the element appended meanwhile: " .. n .. " elements")
