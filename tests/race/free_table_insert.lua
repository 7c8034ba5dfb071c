-- expect: silent
-- table.insert and table.remove under a lock, and on a table of one's own.
local ts = require "tsbox"
local lock = ts.Lock("log")
local log = {}
local function note(x)
  local mine = {}
  for i = 1, 3 do
    table.insert(mine, 1, i)
    lock:with(function() table.insert(log, x .. i) end)
  end
  table.remove(mine)
  table.remove(mine, 1)
  lock:with(function() table.remove(log, 1) end)
end
local a, b = ts.spawn(note, "a"), ts.spawn(note, "b")
a:join(); b:join()
print(#log)
