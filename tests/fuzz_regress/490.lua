-- fuzz regression case (fuzz/run.sh), seed 490: lua5.4 fuzz/gen.lua 490
-- command: tsbox-asan --seed 490 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 490.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sema.c:58:30: runtime error: signed integer overflow: 3 + 9223372036854775807 cannot be represented in type 'long long'
-- failed: --sched os: sanitizer report (exit status 1): src/sema.c:58:30: runtime error: signed integer overflow: 2 + 9223372036854775807 cannot be represented in type 'long long'
-- stderr of the first failing run: 490.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 490
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
P[2] = ts.BoundedSemaphore{value = 3}
P[3] = ts.Condition(nil, "condition-3")
P[4] = ts.Semaphore{value = 0}
P[5] = ts.Condition(nil, "condition-5")
if ts.Queue then
  P[1] = ts.Queue(5)
  P[6] = ts.Queue(0)
  P[7] = ts.Timer(0.001, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(P[5].with, P[5], function()
    G.flag = false
    P[5]:notify()
  end)
  pcall(function() local _ = P[2]:release(math.maxinteger) end)
  do
    local ok, e = pcall(function() return P[3]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W2(...)
  pcall(coroutine.wrap(function() load(function() coroutine.yield() end) end))
  if G.n % 2 == 0 then error(nil) end
  pcall(coroutine.yield, 1)
  pcall(function() T[1]:start() end)
  pcall(P[4].release, P[4])
  pcall(P[5].notify, P[5])
  local r = P[2]:with(function(...)
    pcall(function() P[3]:with(function() return P[3]:wait_for(function() ts.yield(); return true end, 0.01) end) end)
    pcall(function() local _ = P[2]:release(2) end)
  end, nil, H(11))
  if CO[3] then pcall(coroutine.close, CO[3]) end
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[5]:wait(0.002)
    end
  end)
  ts.sleep(0.05)
  local _ = ts.seed(), ts.sched()
end
local function W3(...)
  local r = P[5]:with(function(...)
    pcall(function() P[5]:notify_all(3.5, nil) end)
    pcall(function()
      local t = {}
      for i = 1, 100000 do t[i] = {i} end
      G.big = nil
    end)
  end, {"x", k = -1}, true)
  do
    local ok, e = pcall(function() return P[4]:release(2^53) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[5]:wait(0.001)
    end
  end)
end
local function W4(...)
  pcall(ts.sleep, -0.0)
  if not pcall(function() local _ = F[2]:add_done_callback(error) end) then ts.yield() end
  do
    local ok, e = pcall(function() return T[1]:join(0.001) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  return H(7), ...
end
T[1] = ts.Thread{target = W1, args = {error, {1, 2, 3}}, name = "w1", daemon = true}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {42}, name = "w2", daemon = true}
T[3] = ts.spawn(W3, "err")
T[4] = ts.spawn(W4, ts.main_thread())
do
  local _ <close> = P[2]:hold()
  pcall(function()
    local t = ts.spawn(function(...)
      do
        local ok, e = pcall(function() return P[1]:qsize() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      local r = P[2]:with(function(...)
        pcall(function() local _ = P[6]:empty() end)
        ts.yield(1, 2)
        if not pcall(function() local _ = P[2]:acquire(true, 0.005) end) then ts.yield() end
        return ...
      end)
    end)
  end)
  pcall(function() local r = P[3]:with(function(...)
    pcall(function()
      local t = ts.spawn(function(...)
        do
          local _ <close> = P[3]:hold()
          pcall(function() ts.Condition(ts.Lock()) end); collectgarbage()
          pcall(ts.outcome, 1e308, H(3))
        end
        pcall(P[4].release, P[4])
      end)
      t:join(-2)
    end)
    local r = P[2]:with(function(...)
      do
        local _ <close> = P[5]:hold()
        ts.sleep(TO(10))
      end
    end, "")
  end, {kind = 42}, H(7)) end)
  pcall(function() P[6]:put_nowait(false) end)
end
pcall(function() P[5]:wait(-1e308, H(5), nil, 1) end)
pcall(function() local _ = F[5]:result(TO(1)) end)
pcall(T[4].join, T[4])
ts.outcome(G.n % 5, G.flag)
