-- expect: silent
-- The same read and sort under one lock: ordered, no race.
local ts = require "tsbox"
local scores = { 3, 9, 5 }
local lock = ts.Lock("scores")
local first
local reader = ts.spawn(function() lock:with(function() first = scores[1] end) end)
local sorter = ts.spawn(function() lock:with(function() table.sort(scores) end) end)
reader:join(); sorter:join()
ts.check(first == 3 or first == 9, "the reader saw " .. first)
