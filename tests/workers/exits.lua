-- exits.lua: ways out of a run that a worker must treat as a process of
-- its own would: os.exit from a thread, failing or blocking atexit
-- functions and excepthooks, error values whose __tostring fails or
-- blocks, finalizers that spawn threads or block.
local ts = require "tsbox"
local pick = math.random(1, 14)
print("start", pick, tostring({}))
local ev = ts.Event()
if pick == 1 then
  ts._register_atexit(function() error("atexit fails") end)
elseif pick == 2 then
  ts._register_atexit(function() ev:wait() end)
elseif pick == 3 then
  ts._register_atexit(function() ts.spawn(function() ev:wait() end) end)
elseif pick == 4 then
  ts.spawn(function() os.exit(7) end)
  ev:wait()
elseif pick == 5 then
  ts.spawn(function() ts.yield(); os.exit(false, true) end)
  for _ = 1, 100 do ts.yield() end
elseif pick == 6 then
  error(setmetatable({}, { __tostring = function() error("tostring fails") end }))
elseif pick == 7 then
  ts.spawn(function() error(setmetatable({}, { __tostring = function() ev:wait() return "x" end })) end):join()
elseif pick == 8 then
  ts.excepthook = function() error("hook fails") end
  ts.spawn(function() error("boom") end):join()
elseif pick == 9 then
  ts.excepthook = function() ev:wait() end
  ts.spawn(function() error("boom") end)
elseif pick == 10 then
  error({ code = 1 })
elseif pick == 11 then
  ts.spawn(function() ts.check(false, "check in thread") end):join()
  ts.check(false, "second check")
elseif pick == 12 then
  local co = coroutine.create(function() ts.spawn(function() end):join(); error("in co") end)
  print(coroutine.resume(co))
  print(coroutine.close(co))
elseif pick == 13 then
  setmetatable({}, { __gc = function() ts.spawn(function() print("from gc") end) end })
  collectgarbage(); collectgarbage()
else
  setmetatable({}, { __gc = function() ev:wait() end })
  collectgarbage()
end
ts.outcome(string.format("%d %s", pick, tostring({})))
