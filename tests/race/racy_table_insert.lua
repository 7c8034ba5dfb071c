-- expect: race length of log
-- table.insert(t, x) from two threads: both read #log and extend it.
local ts = require "tsbox"
local log = {}
local function note(x)
  for i = 1, 3 do table.insert(log, x .. i) end
end
local a, b = ts.spawn(note, "a"), ts.spawn(note, "b")
a:join(); b:join()
print(#log)
