-- fuzz regression case (fuzz/run.sh), seed 607: lua5.4 fuzz/gen.lua 607
-- command: tsbox-asan --seed 607 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 607.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 607.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 607
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
P[1] = ts.Condition(ts.Lock(), "conditionl-1")
P[2] = ts.BoundedSemaphore(3)
P[4] = ts.Event()
P[5] = ts.Event("event-5")
P[6] = ts.Condition(nil, "condition-6")
P[7] = ts.Condition()
P[8] = ts.Event()
P[9] = ts.Condition(ts.Lock(), "conditionl-9")
if ts.Queue then
  P[3] = ts.Timer(0.01, function() G.n = G.n + 1 end)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  for _ = 1, 4 do
    pcall(function() local r = P[6]:with(function(...)
      do
        local ok, e = pcall(function() return F[4]:cancel() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(P[6].with, P[6], function()
        G.flag = false
        P[6]:notify_all()
      end)
      pcall(function() local _ = P[3]:cancel("x") end)
      do
        local ok, e = pcall(function() return P[2]:release(1e9, P[5], nil, string.rep('v', 100000)) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      return ...
    end, nil) end)
  end
  pcall(function() P[1].acquire(P[6], coroutine.yield) end)
  pcall(function() G.local_ = ts.thread_local(42) end)
  pcall(function() ts.current_thread():join(nil) end)
  return false, ...
end
local function W2(...)
  pcall(function() local _ = P[7]:notify(-1, 1, false) end)
  if not pcall(function() P[5]:is_set() end) then ts.yield() end
  return "", ...
end
local function W3(...)
  do
    local _ <close> = P[6]:hold()
    local r = P[1]:with(function(...)
      CO.t1 = coroutine.running()
      local r = P[6]:with(function(...)
        ts.sleep(0.001)
        if not pcall(function() T[3]:join(0.005) end) then ts.yield() end
        if not pcall(function() P[6]:notify_all() end) then ts.yield() end
        pcall(function() local _ = ts.wait(F, 0.01) end)
      end, "err")
      do
        local ok, e = pcall(function() return P[7]:acquire(true) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      collectgarbage()
      return ...
    end)
  end
  pcall(P[2].release, P[2])
end
local function W4(...)
  pcall(P[7].release, P[7])
  collectgarbage()
  do
    local co = coroutine.wrap(function(...)
      local r = P[9]:with(function(...)
        error(nil)
        ts.sleep(0.02)
        pcall(function() local r = P[2]:with(function(...)
          if not pcall(function() T[5]:join(0.01) end) then ts.yield() end
          ts.check(true, coroutine.yield)
        end, math.mininteger, G) end)
        pcall(function() ts.shared("x") end)
        return ...
      end, false)
      for _ = 1, 4 do
        pcall(ts.sleep, 0.001)
        pcall(function() local _ = F[4]:running() end)
      end
      local _ = P[2]:value()
      pcall(function() local function f(n) return P[6]:with(f, n + 1) end return f(1) end)
    end)
    pcall(co, string.rep('v', 1000))
    pcall(co)
  end
  local _ = P[4]:wait(-(0/0))
  pcall(function() T[4]:join() end)
  pcall(function() P[5].set(nil) end)
  if not pcall(function() local _ = F[5]:exception(0.005) end) then ts.yield() end
  pcall(function() P[8]:wait(0.002) end)
end
T[1] = ts.Thread{target = W1, args = {false, "RuntimeError"}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {H(1)}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {ts, "boom"}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4"}
T[4]:start()
ts.check()
pcall(P[9].release, P[9], '2')
pcall(function() T[2]:join() end)
do
  local ok, e = pcall(function() return P[2]:acquire(0) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function() ts.shared("RuntimeError") end)
if not pcall(function() P[3]:start() end) then ts.yield() end
pcall(function() for _ = 1, 26 do ts.spawn(function() G.n = G.n + 1 end) end end)
do
  local ok, e = pcall(function() return P[5]:wait(0.001) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(coroutine.yield, 1)
T[1]:join(0.02)
pcall(T[2].join, T[2], 0.02)
pcall(T[4].join, T[4])
ts.outcome(G.n % 5, G.flag)
