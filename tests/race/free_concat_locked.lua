-- expect: silent
-- The same join and replacement, each under one lock: ordered, no race.
local ts = require "tsbox"
local parts = { "a", "b", "c" }
local lock = ts.Lock("parts")
local out
local reader = ts.spawn(function() lock:with(function() out = table.concat(parts, ",") end) end)
local writer = ts.spawn(function() lock:with(function() parts[2] = "B" end) end)
reader:join(); writer:join()
ts.check(out == "a,b,c" or out == "a,B,c", "the join saw " .. out)
