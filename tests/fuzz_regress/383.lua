-- fuzz regression case (fuzz/run.sh), seed 383: lua5.4 fuzz/gen.lua 383
-- command: tsbox-asan --seed 383 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 383.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 383.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 383
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Event()
P[2] = ts.RLock()
P[3] = ts.Event()
P[4] = ts.Condition(nil, "condition-4")
P[5] = ts.Event("event-5")
if ts.Queue then
  P[6] = ts.Queue(2)
else
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local _ <close> = P[4]:hold()
    if not pcall(function() T[2]:join(print) end) then ts.yield() end
    pcall(function() P[4]:with(function() return P[4]:wait_for(function() return G.flag end, nil) end) end)
    P[2]:locked()
    pcall(function()
      local t = {}
      for i = 1, 100 do t[i] = {i} end
      G.big = nil
    end)
  end
  ts.sleep(0.002)
  if not pcall(function() P[6]:task_done(0, "err", nil) end) then ts.yield() end
  ts.sleep(0.005)
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() local _ = P[5]:clear() end)
  end) end)
  if not pcall(function() P[5]:is_set() end) then ts.yield() end
  pcall(ts.sleep, nil)
  pcall(P[4].with, P[4], function()
    G.flag = false
    P[4]:notify_all()
  end)
  pcall(function() P[6]:task_done() end)
  pcall(function() P[6].qsize() end)
  pcall(function() local x = ts.Condition(1.5, '%s%n%d'); G.last = tostring(x) end)
  for _ = 1, 3 do
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
    pcall(ts.Thread, {target = print, args = {}, extra = 1})
  end
  return error, ...
end
T[1] = ts.spawn(W1, P[6])
pcall(function() P[6]:empty() end)
pcall(function() for _ = 1, 35 do ts.spawn(function() G.n = G.n + 1 end) end end)
pcall(function()
  do
    local _ <close> = P[4]:hold()
    ts.yield()
    do
      local ok, e = pcall(function() return P[3]:is_set() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() P[3]:is_set() end)
  end
end)
pcall(function() P[3].is_set() end)
pcall(function() P[4]:notify() end)
pcall(ts.sleep, 'x')
do
  local _ <close> = P[4]:hold()
  ts.outcome(math.huge)
  collectgarbage()
end
pcall(function() local _ = P[1]:is_set() end)
pcall(function()
  do
    local _ <close> = P[4]:hold()
    pcall(P[4].notify, P[4])
    if not pcall(function() P[1]:wait(-(0/0)) end) then ts.yield() end
  end
end)
ts.check(type(G) == 'table', 'check 24')
pcall(function() local x = ts.Condition({name = string.rep('v', 1000), name = "x y"}); G.last = tostring(x) end)
T[1]:join(TO(1))
print('done', G.n)
