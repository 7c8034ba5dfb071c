-- expect: silent
-- The same copy and read under one lock, and a shift within a table of
-- one's own (table.move in place, both directions): no race.
local ts = require "tsbox"
local list = { "a", "b", "c" }
local backup = { "old" }
local lock = ts.Lock("backup")
local seen
local reader = ts.spawn(function() lock:with(function() seen = backup[1] end) end)
local mover = ts.spawn(function()
  local mine = { 1, 2, 3, 4 }
  table.move(mine, 1, 3, 2)
  table.move(mine, 2, 4, 1)
  lock:with(function() table.move(list, 1, #list, 1, backup) end)
end)
reader:join(); mover:join()
ts.check(seen == "old" or seen == "a", "the reader saw " .. seen)
