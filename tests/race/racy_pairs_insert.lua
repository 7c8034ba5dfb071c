-- expect: race the set of keys of registry
-- One thread walks a shared table with pairs while another adds a key:
-- what the walk sees depends on the order (next reads the set of keys).
local ts = require "tsbox"
local reg = ts.shared({ a = 1 }, "registry")
local seen = 0
local reader = ts.spawn(function() for _ in pairs(reg) do seen = seen + 1 end end)
local writer = ts.spawn(function() reg.b = 2 end)
reader:join(); writer:join()
ts.check(seen == 2, "the walk missed the key added meanwhile: saw " .. seen)
