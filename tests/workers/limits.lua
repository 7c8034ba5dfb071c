-- limits.lua: --max-memory and --max-steps hit mid-run, on MainThread, a
-- thread, a coroutine or a finalizer, while a daemon thread waits.
local ts = require "tsbox"
local pick = math.random(1, 6)
local ev = ts.Event()
ts.Thread{ target = function() ev:wait() end, daemon = true }:start()
if pick == 1 then
  ts.spawn(function() while true do end end)
  ev:wait()
elseif pick == 2 then
  ts.spawn(function() local t = {} for i = 1, 1e8 do t[i] = tostring(i) end return #t end):join()
elseif pick == 3 then
  setmetatable({}, { __gc = function() local t = {} for i = 1, 1e8 do t[i] = {} end return #t end })
  collectgarbage()
elseif pick == 4 then
  local co = coroutine.wrap(function() local t = {} for i = 1, 1e8 do t[i] = i .. "" end return #t end)
  print(pcall(co))
elseif pick == 5 then
  print(pcall(string.rep, "x", 1 << 40))
else
  ts.spawn(function() for _ = 1, 1e9 do ts.yield() end end):join()
end
ts.outcome(string.format("%d %s %s", pick, tostring({}), collectgarbage("count") > 0))
