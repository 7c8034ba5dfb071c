-- fuzz regression case (fuzz/run.sh), seed 438: lua5.4 fuzz/gen.lua 438
-- command: tsbox-asan --seed 438 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 438.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 438.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 438
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
local function H(k)
  if k == 1 then return setmetatable({}, {__tostring = function() error('tostring boom') end})
  elseif k == 2 then return setmetatable({}, {__tostring = function() return {} end})
  elseif k == 3 then return setmetatable({}, {__index = function() error('index boom') end})
  elseif k == 4 then return setmetatable({kind = 'RuntimeError'}, {__tostring = function() coroutine.yield() end})
  elseif k == 5 then return {kind = {}, message = 42, traceback = false}
  elseif k == 6 then return setmetatable({}, {__name = 42, __metatable = false})
  elseif k == 7 then return setmetatable({}, {__gc = function() error('gc boom') end})
  elseif k == 8 then return string.rep('E', 100000)
  elseif k == 9 then return setmetatable({}, {__call = function() return 1 end, __name = 'tsbox.Lock'})
  elseif k == 10 then return setmetatable({}, {__len = function() error('len boom') end, __pairs = function() error('pairs boom') end, __index = function() ts.sleep(0.001) end})
  elseif k == 11 then return setmetatable({kind = 'ValueError', message = setmetatable({}, {__tostring = function() error('msg boom') end})}, {__concat = function() error('concat boom') end})
  else return coroutine.create(print) end
end
P[1] = ts.Condition()
P[2] = ts.Lock("lock-2")
P[3] = ts.Condition()
P[5] = ts.Condition(nil, "condition-5")
P[7] = ts.Condition(P[2])
P[8] = ts.Condition(nil, "condition-8")
P[9] = ts.Event("event-9")
if ts.Queue then
  P[4] = ts.ThreadPool()
  P[6] = ts.Timer(0.05, function() G.n = G.n + 1 end)
else
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  if not pcall(function() P[5]:with(function() return P[5]:wait_for(function() return P[8] end, 0.02) end) end) then ts.yield() end
  pcall(function() P[6]:start() end)
  local r = P[3]:with(function(...)
    if CO.t2 then pcall(coroutine.status, CO.t2) end
    pcall(function() P[4].shutdown(P[9], -1, TO(1)) end)
    pcall(function() local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put(true); G.v = q:get() end)
  end, ts.RuntimeError)
  local r = P[2]:with(function(...)
    pcall(coroutine.yield, 1)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    if not pcall(function() P[7]:release() end) then ts.yield() end
  end, H(4), nil)
  local _ = ts.current_thread().name .. ''
  pcall(function() P[6].cancel(P[7]) end)
  return nil, ...
end
local function W2(...)
  P[8].notify_all()
  pcall(P[1].release, P[1])
  if G.n % 2 == 0 then error(H(6)) end
  pcall(ts.spawn, 'f')
  P[8]:with({})
  pcall(function() P[3]:with('f') end)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(P[4].map, P[4], error, {})
    end, coroutine.yield)
  end)
  return math.mininteger, ...
end
local function W3(...)
  pcall(P[8].with, P[8], function()
    G.flag = false
    P[8]:notify(100)
  end)
  do
    local ok, e = pcall(function() return P[1]:notify(2, P[9], P[7]) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if CO[3] then pcall(coroutine.resume, CO[3]) end
  if not pcall(function() T[6]:join(nil) end) then ts.yield() end
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() P[1]:release() end)
      error(setmetatable({}, {}))
      ts.yield()
    end)
  end)
  ts.yield()
  return false, ...
end
local function W4(...)
  pcall(function() P[6].cancel(P[2]) end)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() ts.RLock():acquire() end); collectgarbage()
    end)
    t:join(0.002)
  end)
  pcall(P[8].release, P[8], 2^63)
  do
    local ok, e = pcall(function() return T[1]:join(-(0/0)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.sleep(0.01)
  pcall(function() P[4].shutdown('x') end)
  ts.yield()
end
local function W5(...)
  ts.yield()
end
local function W6(...)
  ts.yield()
  return 42, ...
end
local function W7(...)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.spawn(W1)
T[2] = ts.Thread{target = W2, args = {ts.BrokenBarrierError, P[7]}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {{kind = 'ValueError'}}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {"x"}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5, P[1])
ts.yield()
T[6] = ts.spawn(W6, "x")
T[7] = ts.spawn(W7, 0)
ts.yield()
T[8] = ts.Thread{target = W8, args = {false}, name = "w8"}
T[8]:start()
ts.yield()
pcall(T[1].join, T[1], 0.05)
pcall(T[2].join, T[2], 0.05)
pcall(T[5].join, T[5], 0.005)
pcall(T[6].join, T[6])
pcall(T[8].join, T[8])
print('done', G.n)
