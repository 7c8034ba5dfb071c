-- fuzz regression case (fuzz/run.sh), seed 213: lua5.4 fuzz/gen.lua 213
-- command: tsbox-asan --seed 213 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 213.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 213.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 213
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock{name = "p1"}
P[2] = ts.Semaphore()
P[4] = ts.Semaphore(1, "semaphore-4")
P[5] = ts.Condition()
P[6] = ts.Condition(ts.RLock())
if ts.Queue then
  P[3] = ts.ThreadPool()
  P[7] = ts.LifoQueue(2)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  if not pcall(function() local _ = P[5]:release() end) then ts.yield() end
  ts.yield(1, 2)
  pcall(P[2].release, P[2])
  pcall(P[4].release, P[4])
  pcall(function() P[6]:wait(1e18) end)
  do
    local ok, e = pcall(function() return T[2]:start() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  return "", ...
end
local function W2(...)
  pcall(function() T[1].ident = math.huge end)
  collectgarbage('step')
  ts.sleep(0.002)
end
local function W3(...)
  pcall(P[4].release, P[4])
  pcall(function() local _ = P[1]:release() end)
  do
    local _ <close> = P[2]:hold()
    pcall(function() local _ = T[3]:is_alive(), T[3].ident, T[3].name, T[3].result, T[3].error, T[3].daemon end)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    pcall(function() P[2]:value() end)
    pcall(function() P[4].value() end)
  end
  pcall(function() local _ = P[3]:shutdown(true, nil) end)
  local r = P[2]:with(function(...)
    pcall(function() P[1].acquire(P[2]) end)
    return ...
  end)
  pcall(function() P[5]:notify(0) end)
  pcall(function() local r = P[6]:with(function(...)
    pcall(function() local _ = P[4]:release(-2^63) end)
  end) end)
  if not pcall(function() P[5]:with(function() return P[5]:wait_for(function() error('pred boom') end, 0.02) end) end) then ts.yield() end
  pcall(ts.spawn, ts.yield)
  pcall(P[5].with, P[5], function()
    G.flag = true
    P[5]:notify()
  end)
end
local function W4(...)
  if CO[2] then pcall(coroutine.resume, CO[2]) end
  for _ = 1, 3 do
    pcall(function() P[4]:acquire(true, TO(math.maxinteger)) end)
  end
  pcall(ts.sleep, 0.05)
  pcall(function() ts.current_thread():join() end)
  ts.sleep(0.01)
  pcall(function() P[4].value(P[4]) end)
  do
    local ok, e = pcall(function() return P[2]:release(1) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[6]:notify({}) end)
  pcall(function() local t = ts.Timer(0/0, print); t:start(); t:cancel(); t:join(0.01) end)
  pcall(ts.sleep, -(0/0))
  pcall(coroutine.wrap(P[7].put), P[7])
end
local function W5(...)
  if not pcall(function() local _ = P[3]:shutdown(false, false, coroutine.running(), "err") end) then ts.yield() end
  do local s = string.rep('x', 2^40); G.len = #s end
  CO[2] = coroutine.create(function()
    local _ <close> = P[5]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[5]:wait(0.002)
    end
  end)
  ts.yield()
  if not pcall(function() P[5]:notify(1e9) end) then ts.yield() end
  pcall(function() ts.current_thread():join(TO(0.2)) end)
  pcall(function() T[4]:start() end)
  pcall(coroutine.wrap(function() P[6]:with(function() coroutine.yield(1) end) end))
  pcall(function() P[2].release() end)
  P[5]:acquire(false, 0/0)
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1", daemon = true}
T[1]:start()
ts.check(G.n >= 0, "boom")
T[2] = ts.spawn(W2)
T[3] = ts.spawn(W3, "boom", "")
ts.yield()
T[4] = ts.Thread{target = W4, args = {"boom", ""}, name = "w4"}
T[4]:start()
T[5] = ts.spawn(W5, {message = {}})
pcall(function() P[4]:value() end)
if G.local_ then G.local_.x = "" end
ts.sleep(0.02)
pcall(T[3].join, T[3], 0.001)
pcall(T[4].join, T[4], 0.002)
pcall(T[5].join, T[5])
