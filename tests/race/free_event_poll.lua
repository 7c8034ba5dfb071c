-- expect: silent
-- Polling Event:is_set() instead of waiting: seeing it set orders the
-- reader after the set, as wait() does.
local ts = require "tsbox"
local ev = ts.Event("done")
local report = {}
local worker = ts.spawn(function()
  report.total = 42
  ev:set()
end)
while not ev:is_set() do ts.yield() end
print(report.total)
worker:join()
