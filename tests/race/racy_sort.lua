-- expect: race index 1 of scores
-- table.sort reads and writes the elements it orders: a thread reading
-- the first score while another sorts the list races.
local ts = require "tsbox"
local scores = { 3, 9, 5 }
local first
local reader = ts.spawn(function() first = scores[1] end)
local sorter = ts.spawn(function() table.sort(scores, function(a, b) return a > b end) end)
reader:join(); sorter:join()
ts.check(first == 3, "the reader saw the list sorted meanwhile: " .. first)
