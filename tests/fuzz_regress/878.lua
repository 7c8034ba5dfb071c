-- fuzz regression case (fuzz/run.sh), seed 878: lua5.4 fuzz/gen.lua 878
-- command: tsbox-asan --seed 878 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 878.lua
-- failed: --sched random: crash: exit status 134 (signal 6, ABRT)
-- failed: --sched os: crash: exit status 134 (signal 6, ABRT)
-- stderr of the first failing run: 878.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 878
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
P[1] = ts.BoundedSemaphore(3, "boundedsemaphore-1")
P[2] = ts.Condition()
P[5] = ts.BoundedSemaphore{value = 2}
P[6] = ts.BoundedSemaphore(2)
if ts.Queue then
  P[3] = ts.ThreadPool(1)
  P[4] = ts.ThreadPool()
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  ts.sleep(0.001)
  pcall(function() local r = P[6]:with(function(...)
    coroutine.yield(1)
    pcall(function() P[1].release(ts.current_thread(), P[3], TO(2^53)) end)
  end, "err", {1, 2, 3}) end)
  pcall(print, 'n', G.n)
  local r = P[6]:with(function(...)
    pcall(function() local _ = P[3]:shutdown('no', print) end)
    do
      local ok, e = pcall(function() return P[5]:value() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    ts.sleep(0.02)
  end, nil)
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[2]:wait(0.001)
    end
  end)
  pcall(function() T[7].name = P[6] end)
end
local function W2(...)
  local r = P[1]:with(function(...)
    pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
    pcall(P[2].with, P[2], function()
      G.flag = true
      P[2]:notify_all()
    end)
    pcall(function() P[3]:shutdown(false, 0) end)
    return ...
  end, false, ts.RuntimeError)
  error(H(1), 2)
  pcall(ts.Thread, {target = print, args = {}, extra = 1})
  if not pcall(function() P[2]:with(function() return P[2]:wait_for(function() ts.yield(); return true end, 0.005) end) end) then ts.yield() end
  if CO.t1 then pcall(coroutine.close, CO.t1) end
  pcall(P[5].release, P[5])
  pcall(function() local _ = P[2]:wait() end)
end
local function W3(...)
  pcall(function() T[4]:join(0.02) end)
  pcall(function() P[5].value() end)
  local r = P[2]:with(function(...)
    ts.sleep(0.001)
    do
      local ok, e = pcall(function() return P[2]:with(function() return P[2]:wait_for(nil, 0.001) end) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end, "err")
  pcall(function() T[4].name = H(12) end)
  for _ = 1, 4 do
    do
      local ok, e = pcall(function() return P[1]:value(true, 1e308) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(P[2].with, P[2], function()
      local tries = 0
      while not G.flag and tries < 3 do
        tries = tries + 1
        local _ = P[2]:wait(0.002)
      end
    end)
    pcall(function() local _ = P[5]:value() end)
  end
end
local function W4(...)
  pcall(ts.sleep, TO(math.huge))
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[2]:wait(0.01)
    end
  end)
  pcall(P[6].release, P[6])
  ts.yield(1, 2)
  local _ = P[1]:acquire(nil, 0.05)
  ts.sleep(0.05)
  pcall(coroutine.wrap(function() P[2]:with(function() coroutine.yield(1) end) end))
  pcall(P[2].wait, P[2])
  if CO.t1 then pcall(coroutine.status, CO.t1) end
end
local function W5(...)
  G.last = tostring(ts.current_thread())
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[2]:wait(0.02)
    end
  end)
  ts.sleep(0.05)
  pcall(function() P[3].shutdown() end)
  pcall(P[3].map, P[3], error, {n = 3})
  if G.n % 2 == 0 then error({}, 0) end
  ts.check(G.n % 7 ~= 3, nil)
  do
    local co = coroutine.wrap(function(...)
      pcall(function() P[5].value() end)
      pcall(P[6].release, P[6], 1)
      pcall(function() local r = P[5]:with(function(...)
        pcall(function() P[1].acquire(P[2], true, TO(2^53)) end)
        return ...
      end, {3.5, k = ts.main_thread()}, nil) end)
    end)
    pcall(co)
  end
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  do
    local ok, e = pcall(function() return P[2]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[4]:shutdown(false, false) end)
end
local function W6(...)
  P[5].value(P[3])
  error("", 0)
  pcall(P[3].map, P[3], function(x) ts.sleep(0.001) return x end, {n = 3})
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  error(H(6), 2)
  pcall(ts.spawn, error, 'spawned error')
  pcall(function() local _ = P[6]:acquire(print) end)
  do
    local ok, e = pcall(function() return T[5]:join(0) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[2].notify_all, P[2])
  local _ = #ts.enumerate()
end
T[1] = ts.spawn(W1, "x", "x")
T[2] = ts.Thread{target = W2, args = {"err", 3.5}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5)
T[6] = ts.Thread{target = W6, args = {}, name = "w6", daemon = true}
T[6]:start()
ts.yield()
pcall(function() P[3]:shutdown(true, false, 0/0, nil) end)
pcall(function() P[2]:release() end)
pcall(T[1].join, T[1], TO(1))
pcall(T[3].join, T[3])
pcall(T[5].join, T[5])
ts.outcome(G.n % 5, G.flag)
