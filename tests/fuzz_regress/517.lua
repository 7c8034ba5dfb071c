-- fuzz regression case (fuzz/run.sh), seed 517: lua5.4 fuzz/gen.lua 517
-- command: tsbox-asan --seed 517 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 517.lua
-- failed: --sched random: crash: exit status 134 (signal 6, ABRT)
-- failed: --sched os: crash: exit status 134 (signal 6, ABRT)
-- stderr of the first failing run: 517.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 517
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
P[1] = ts.RLock{name = "p1"}
P[3] = ts.BoundedSemaphore(0, "boundedsemaphore-3")
P[5] = ts.Condition()
P[6] = ts.Semaphore(1)
P[7] = ts.Lock{name = "p7"}
P[8] = ts.BoundedSemaphore(2)
if ts.Queue then
  P[2] = ts.LifoQueue(5)
  P[4] = ts.ThreadPool(3)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  local _ = pcall(ts._raise, "", nil, 42)
  if not pcall(function() P[4]:shutdown(true, 'no', P[2], "err") end) then ts.yield() end
  do local x = ts.BoundedSemaphore({timeout = false, name = nil}); G.last = tostring(x) end
  if G.n % 2 == 0 then error("x") end
  ts.sleep(0.05)
end
local function W2(...)
  T[7]:start()
  pcall(function() local r = P[8]:with(function(...)
    do
      local ok, e = pcall(function() return P[2]:empty() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    do
      local co = coroutine.wrap(function(...)
        do
          local ok, e = pcall(function() return P[1]:acquire({}, 0.02) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        do
          local ok, e = pcall(function() return F[5]:exception(0.02) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() P[8]:release(-math.huge) end)
        pcall(function() ts.current_thread():join() end)
      end)
      pcall(co)
    end
    do
      local ok, e = pcall(function() return P[8]:release(1) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    if not pcall(function() P[2]:put() end) then ts.yield() end
  end, 1e308) end)
  pcall(function()
    local t = {}
    for i = 1, 10000 do t[i] = {i} end
    G.big = t
  end)
  pcall(function() P[1].locked(P[8], ts.yield, TO(30)) end)
  pcall(function() local _ = P[8]:release() end)
  pcall(function()
    F[#F % 6 + 1] = P[4]:submit(function(...)
      pcall(function() local _ = P[1]:release() end)
      pcall(function() P[6]:value() end)
    end)
  end)
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[5]:wait(0.01)
    end
  end)
end
local function W3(...)
  pcall(function() P[3]:release(1) end)
  pcall(P[5].with, P[5], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[5]:wait(0.005)
    end
  end)
  do
    local ok, e = pcall(function() return P[8]:acquire(true, 0.01) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[8]:release(math.mininteger) end)
  error(H(2))
  ts.check(nil ~= false, 'check 472')
  pcall(coroutine.wrap(function() ts.spawn(coroutine.yield):join(0.01) end))
  local _ = ts.seed(), ts.sched()
  pcall(function() P[7]:release() end)
end
local function W4(...)
  ts.check(G.n >= 0, nil)
  pcall(function() P[5]:wait(TO(1)) end)
  local r = P[5]:with(function(...)
    if not pcall(function() P[5]:notify_all() end) then ts.yield() end
    local _ = ts.seed(), ts.sched()
    ts.sleep(0.001)
  end, true)
  pcall(function() P[2]:put(coroutine.create(print), false, -(0/0), coroutine.create(print), string.rep('v', 1000000), function() end) end)
  pcall(function() P[6]:release(0/0, 1e308, nil) end)
  ts.yield()
end
local function W5(...)
  ts.yield()
end
local function W6(...)
  ts.yield()
  return P[3], ...
end
local function W7(...)
  ts.yield()
  return "err", ...
end
local function W8(...)
  ts.yield()
  return "err", ...
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
T[2] = ts.spawn(W2)
T[3] = ts.spawn(W3, nil)
T[4] = ts.Thread{target = W4, args = {"RuntimeError", nil}, name = "w4"}
T[5] = ts.spawn(W5, "err")
T[6] = ts.spawn(W6, {})
ts.yield()
T[7] = ts.spawn(W7, 1)
T[8] = ts.Thread{target = W8, args = {"boom", {P[3], k = math.mininteger}}, name = "w8"}
T[8]:start()
ts.yield()
T[1]:join(0.01)
T[4]:join()
pcall(T[5].join, T[5], 0.002)
pcall(T[6].join, T[6])
pcall(T[7].join, T[7])
pcall(T[8].join, T[8], TO(1))
ts.outcome(G.n % 5, G.flag)
