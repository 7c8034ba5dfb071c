-- state.lua: a run changes what tsbox keeps in C rather than in the Lua
-- universe: MainThread's name, the default stack size, the excepthook,
-- debug hooks and metatables, the collector's mode, the string and global
-- metatables. A worker must put each back: tests/workers_hostile.sh
-- compares an exploration run by workers with one forking every run.
local ts = require "tsbox"

local pick = math.random(1, 14)
local function show(tag)
  print(tag, pick, ts.current_thread().name, ts.get_ident(), ts.active_count(),
    ts.Thread{ target = function() end }.name, ts.stack_size())
end

show("before")
if pick == 1 then
  ts.main_thread().name = "renamed"
elseif pick == 2 then
  ts.current_thread().name = string.rep("long name ", 20)
elseif pick == 3 then
  ts.excepthook = function(a) print("hook", a.exc_value) end
  ts.spawn(function() error("boom") end):join()
elseif pick == 4 then
  ts.stack_size(1 << 20)
elseif pick == 5 then
  debug.sethook(function() end, "l")
elseif pick == 6 then
  debug.setmetatable(nil, { __index = function() return "nil indexed" end })
elseif pick == 7 then
  setmetatable({}, { __gc = function() error("an error in __gc") end })
  collectgarbage()
elseif pick == 8 then
  do local _ <close> = setmetatable({}, { __close = function() error("an error in __close") end }) end
elseif pick == 9 then
  collectgarbage("stop")
elseif pick == 10 then
  warn("@on"); warn("a ", "warning")
elseif pick == 11 then
  local t = ts.Thread{ target = function() end, name = "named" }
  t:start(); t.name = "renamed while running"; t:join()
elseif pick == 12 then
  -- the string methods block: tsbox's own Lua code waits in odd places
  local ev = ts.Event()
  getmetatable("").__index = function(_, k) if k == "format" then ev:wait() end return string[k] end
elseif pick == 13 then
  setmetatable(_G, { __newindex = function() error("no globals") end })
end
show("after")
print("nil index", pcall(function() local x = rawget(_G, "unset"); return x.y end))
print("hook", debug.gethook(), "collector running", collectgarbage("isrunning"))
ts.spawn(function() error("in a thread") end):join()
ts.outcome(string.format("pick=%d %s %s", pick, ts.current_thread().name, tostring({})))
