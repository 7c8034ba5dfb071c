-- expect: silent
-- Written before start, read after join; each thread its own slot.
local ts = require "tsbox"
local config = { rate = 3 }
results = {}   -- luacheck: ignore
local threads = {}
for i = 1, 3 do threads[i] = ts.spawn(function() results[i] = config.rate * i end) end   -- luacheck: ignore
for i = 1, 3 do threads[i]:join() end
print(results[1] + results[2] + results[3], #results)   -- luacheck: ignore
config.rate = 4
