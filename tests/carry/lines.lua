-- lines.lua: busy threads on loops of several lines, stopped by the step
-- guard: the report says on which line each preempted thread stands, so
-- a thread that left its POSIX thread must show the line it would show
-- waiting inside its count hook (tests/carry.sh).
local ts = require "tsbox"

-- luacheck: globals x y z
x, y, z = 0, 1, 0
for i = 1, 5 do
  ts.spawn(function()
    while true do
      x = x + i
      y = (y * 3 + i) % 101
      z = z + y
      if z > 1e9 then z = 0 end
    end
  end)
end
