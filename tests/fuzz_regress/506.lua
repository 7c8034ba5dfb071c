-- fuzz regression case (fuzz/run.sh), seed 506: lua5.4 fuzz/gen.lua 506
-- command: tsbox-asan --seed 506 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 506.lua
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 506.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 506
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(nil, "condition-1")
P[2] = ts.Condition(ts.Lock(), "conditionl-2")
P[5] = ts.BoundedSemaphore()
P[6] = ts.Lock()
P[7] = ts.RLock()
P[8] = ts.Semaphore{value = 3}
if ts.Queue then
  P[3] = ts.ThreadPool(1)
  P[4] = ts.Timer(0.002, function() G.n = G.n + 1 end)
  P[9] = ts.Timer(0.005, function() G.n = G.n + 1 end)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[9] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(ts.spawn, 42)
  pcall(function() local x = ts.RLock(nil, 0/0, nil, '%s%n%d'); G.last = tostring(x) end)
  pcall(function() local _ = P[5]:release(math.mininteger) end)
  ts.check(type(G) == 'table', 'check 865')
  pcall(function() P[2]:with(function() return P[2]:wait_for(nil, 0/0) end) end)
  return P[1], ...
end
local function W2(...)
  collectgarbage()
  pcall(function() ts.Thread{target = print}:join() end)
  pcall(function() for f in ts.as_completed(F, 0.05) do G.v = f end end)
  pcall(P[2].with, P[2], function()
    G.flag = true
    P[2]:notify(3)
  end)
  pcall(function() local r = P[5]:with(function(...)
    pcall(function()
      do
        local _ <close> = P[5]:hold()
        pcall(coroutine.wrap(P[6].release), P[6])
        pcall(function() local _ = P[2]:release() end)
      end
    end)
  end, false) end)
  setmetatable({}, {__gc = function() ts.sleep(0.001) end})
  collectgarbage()
  error("x", 0)
  return false, ...
end
local function W3(...)
  if not pcall(function() P[2]:acquire(false, 0.002) end) then ts.yield() end
  collectgarbage('step', 1000)
  pcall(function() P[1]:with(function() return P[1]:wait_for(42, 0.002) end) end)
  if not pcall(function() P[1]:with(function() return P[1]:wait_for(nil, 0.005) end) end) then ts.yield() end
  pcall(ts.check, false, 3.5)
  local r = P[6]:with(function(...)
    pcall(function() local r = P[1]:with(function(...)
      pcall(coroutine.wrap(P[6].locked), P[6])
      P[8]:acquire('no', 0.005)
      pcall(function() P[3]:shutdown(true, true) end)
    end, nil) end)
    pcall(function() P[9]:start() end)
    pcall(function() P[6]:locked() end)
  end)
  pcall(function() P[9]:start() end)
  for _ = 1, 2 do
    if not pcall(function() P[6]:release() end) then ts.yield() end
  end
  pcall(function() local x = ts.Semaphore(nil, '%s%n%d'); G.last = tostring(x) end)
  pcall(function() local _ = P[8]:value() end)
  return true, ...
end
local function W4(...)
  P[3].shutdown(P[6])
  pcall(function() P[1]:notify_all() end)
  P[8].acquire(print, "boom", 0.005)
  pcall(P[1].wait_for, P[1])
  ts.yield(1, 2)
  for _ = 1, 7 do G.n = G.n + 1 end
  pcall(ts.Thread, 42)
  pcall(P[1].with, P[1], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[1]:wait(0.002)
    end
  end)
  pcall(function() P[9]:start() end)
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
end
T[1] = ts.spawn(W1, ts.current_thread())
T[2] = ts.spawn(W2, "x")
T[3] = ts.spawn(W3, ts, {G, k = ts.RuntimeError})
T[4] = ts.Thread{target = W4, args = {1, nil}, name = "w4"}
T[4]:start()
pcall(function() P[2]:with(function() return P[2]:wait_for(42, 0.05) end) end)
pcall(coroutine.yield, 1)
do
  local ok, e = pcall(function() return P[2]:wait(-0.0) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
if not pcall(function() T[4]:join(0.001) end) then ts.yield() end
local _ = P[2]:acquire(false)
do
  local ok, e = pcall(function() return P[7]:release() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
pcall(P[1].notify, P[1])
pcall(function() P[4].start(P[3], "", 0.001) end)
pcall(function() P[1]:with(function() return P[1]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, nil) end) end)
pcall(function() T[4].name = 3.5 end)
pcall(T[1].join, T[1], 0.002)
pcall(T[2].join, T[2], TO(1))
pcall(T[4].join, T[4])
print('done', G.n)
