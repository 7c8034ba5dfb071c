-- expect: silent
-- A future's result: the task's writes happen before result() returns.
local ts = require "tsbox"
local pool = ts.ThreadPool(2)
local report = {}
local f = pool:submit(function()
  report.lines = 12
  return report.lines * 2
end)
local doubled = f:result()
print(report.lines, doubled)
local fs = { pool:submit(function() report.a = 1 end), pool:submit(function() report.b = 2 end) }
ts.wait(fs)
print(report.a + report.b)
for g in ts.as_completed { pool:submit(function() report.c = 3 end) } do g:result() end
print(report.c)
pool:shutdown()
