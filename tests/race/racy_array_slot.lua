-- expect: race index 3 of slots
-- The same array slot from two threads.
local ts = require "tsbox"
local slots = { 0, 0, 0, 0 }
local function bump() slots[3] = slots[3] + 1 end
local a, b = ts.spawn(bump), ts.spawn(bump)
a:join(); b:join()
print(slots[3])
