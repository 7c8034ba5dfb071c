-- fuzz regression case (fuzz/run.sh), seed 393: lua5.4 fuzz/gen.lua 393
-- command: tsbox-asan --seed 393 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 393.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 393.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 393
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(nil, "condition-1")
P[2] = ts.Semaphore(2, "semaphore-2")
P[3] = ts.RLock()
P[4] = ts.Lock{name = "p4"}
P[5] = ts.Condition(ts.RLock(), "conditionl-5")
P[6] = ts.Condition(P[4])
P[7] = ts.Event()
P[8] = ts.Lock("lock-8")
local function W1(...)
  pcall(P[4].release, P[4])
  pcall(coroutine.wrap(P[1].notify), P[1])
  pcall(function() P[7].clear(P[7], nil, nil, nil) end)
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
end
local function W2(...)
  ts.sleep(0.05)
  ts.yield()
  P[4]:with({})
  pcall(function()
    do
      local _ <close> = P[5]:hold()
      pcall(function() P[2]:with({}) end)
      pcall(function() local _ = F[4]:add_done_callback(error) end)
    end
  end)
  pcall(function() local r = P[6]:with(function(...)
    pcall(function() P[3]:acquire(nil, 0.01) end)
    return ...
  end) end)
  pcall(function() local _ = F[6]:done() end)
  pcall(P[5].with, P[5], function()
    G.flag = true
    P[5]:notify(1)
  end)
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[5]:wait(0.005)
    end
  end)
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  pcall(function() P[3].release(P[2]) end)
  ts.yield(1, 2)
  ts.yield()
  return {kind = 'ValueError'}, ...
end
local function W3(...)
  if not pcall(function() local _ = P[8]:release() end) then ts.yield() end
  ts.outcome(1)
  pcall(function() P[1]:with(nil) end)
  pcall(coroutine.yield, 1)
  T[5]:join(error)
  return true, ...
end
local function W4(...)
  pcall(function() local _ = T[2]:is_alive(), T[2].ident, T[2].name, T[2].result, T[2].error, T[2].daemon end)
  pcall(coroutine.yield, 1)
  ts.sleep(0.001)
  T[7]:join(0.02)
end
local function W5(...)
  pcall(function() P[7]:clear({message = {}}, "", "") end)
  ts.sleep(TO(0.1))
  pcall(function() local _ = T[1]:is_alive(), T[1].ident, T[1].name, T[1].result, T[1].error, T[1].daemon end)
  P[6]:release()
  pcall(ts.Thread, print)
  if CO.t2 then pcall(coroutine.status, CO.t2) end
  pcall(function() local r = P[1]:with(function(...)
    ts.check(true, "x")
    local _ = #ts.enumerate()
  end, coroutine.yield) end)
  pcall(coroutine.wrap(P[5].release), P[5])
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  collectgarbage()
  pcall(ts.sleep, nil)
  do
    local _ <close> = P[6]:hold(nil)
    for _ = 1, 4 do
      pcall(function()
        do
          local _ <close> = P[3]:hold()
          pcall(coroutine.wrap(P[3].acquire), P[3])
          pcall(coroutine.wrap(function() ts.spawn(coroutine.yield):join(0.01) end))
        end
      end)
    end
  end
  return P[8], ...
end
local function W6(...)
  pcall(function() P[1].release(P[6]) end)
  pcall(function() P[3].acquire(P[5], math.huge, -(0/0)) end)
  return nil, ...
end
local function W7(...)
  do
    local _ <close> = P[3]:hold()
    ts.sleep(0.02)
    if not pcall(function() P[7]:wait(-(0/0)) end) then ts.yield() end
    pcall(function() P[5].notify() end)
    ts.sleep(0.001)
  end
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
  do
    local co = coroutine.wrap(function(...)
      error("boom in critical section", 100)
      pcall(function() ts.shared(ts.yield) end)
    end)
    pcall(co)
    pcall(co)
  end
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  ts.yield()
end
local function W8(...)
  collectgarbage()
  pcall(function() T[9]:join(nil) end)
  if not pcall(function() P[3]:acquire(print, TO(math.huge)) end) then ts.yield() end
  do
    local co = coroutine.wrap(function(...)
      pcall(P[5].with, P[5], function()
        local tries = 0
        while not G.flag and tries < 1 do
          tries = tries + 1
          local _ = P[5]:wait(0.02)
        end
      end)
    end)
    pcall(co)
  end
end
T[1] = ts.spawn(W1, "RuntimeError", true)
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[3] = ts.Thread{target = W3, args = {"boom"}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4"}
do
  local co = coroutine.wrap(function(...)
    if not pcall(function() P[7]:set({traceback = 1}, P[4]) end) then ts.yield() end
    pcall(function()
      do
        local _ <close> = P[2]:hold()
        pcall(function() T[5]:join() end)
      end
    end)
  end)
  pcall(co)
  pcall(co)
end
T[5] = ts.Thread{target = W5, args = {}, name = "w5"}
T[5]:start()
T[6] = ts.spawn(W6)
T[7] = ts.spawn(W7, ts.main_thread(), T[1])
T[8] = ts.Thread{target = W8, args = {math.mininteger, "x"}, name = "w8", daemon = true}
T[8]:start()
if not pcall(function() local _ = P[5]:wait(0.01) end) then ts.yield() end
local _ = ts.seed(), ts.sched()
do
  local ok, e = pcall(function() return P[1]:notify_all() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
do
  local _ <close> = P[1]:hold()
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      collectgarbage()
      pcall(function() local _ = P[2]:release(-math.huge) end)
      ts.yield()
    end
  end)
  P[7]:is_set()
  if not pcall(function() P[5]:with(function() return P[5]:wait_for(42, 0.01) end) end) then ts.yield() end
  pcall(function() P[2].release(ts, "RuntimeError", "", 'not hostile', true) end)
end
pcall(T[1].join, T[1])
pcall(T[2].join, T[2])
pcall(T[3].join, T[3])
pcall(T[4].join, T[4], 0.002)
pcall(T[6].join, T[6], TO(0.2))
T[7]:join()
ts.outcome(G.n % 5, G.flag)
