-- fuzz regression case (fuzz/run.sh), seed 584: lua5.4 fuzz/gen.lua 584
-- command: tsbox-asan --seed 584 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 584.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 584.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 584
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.RLock())
P[2] = ts.BoundedSemaphore{value = 2}
P[3] = ts.Condition()
local function W1(...)
  pcall(function() local r = P[2]:with(function(...)
    local _ = ts.time()
    pcall(function() local r = P[2]:with(function(...)
      pcall(coroutine.wrap(P[3].release), P[3])
      setmetatable({}, {__gc = function() ts.check(false, 'in gc') end})
      pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
      pcall(function() local _ = P[1]:release() end)
      return ...
    end, string.rep('v', 1000)) end)
    collectgarbage()
    pcall(function() local _ = P[3]:notify_all() end)
  end, string.rep('v', 1000000), 'not hostile') end)
  pcall(function() local r = P[1]:with(function(...)
    pcall(function()
      local t = ts.spawn(function(...)
        P[2].release()
        do
          local ok, e = pcall(function() return F[1]:cancel() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() P[1]:with(function() return P[1]:wait_for(function() ts.yield(); return true end, 0.02) end) end)
      end, coroutine.running())
      t:join(TO(30))
    end)
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  end, nil, P[3]) end)
  local _ = P[3]:acquire(nil, 'x')
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(function() T[7].name = {"err", k = nil} end)
    end)
  end)
end
local function W2(...)
  G.last = tostring(ts.current_thread())
  pcall(coroutine.wrap(P[3].release), P[3])
  pcall(function() local _ = P[3]:notify_all() end)
  ts.check(nil ~= false, "RuntimeError")
  if not pcall(function() local _ = P[3]:wait(0.002) end) then ts.yield() end
  pcall(function() P[2].value() end)
  pcall(function() P[1].wait() end)
  collectgarbage()
  ts.sleep(0.005)
end
local function W3(...)
  pcall(function() local _ = P[3]:wait(TO(30)) end)
  pcall(ts.sleep, TO(1))
  pcall(function() T[1]:join(0.001, coroutine.create(print), math.mininteger) end)
  pcall(function() local t = ts.Timer(0.02, function() G.n = G.n + 1 end); t:start(); t:join(0.02) end)
  local _ = P[2]:acquire()
  for _ = 1, 1 do
    do local x <close> = setmetatable({}, {__close = function() ts.yield() end}) end
  end
  pcall(function() T[2].daemon = nil end)
end
local function W4(...)
  pcall(function() P[2]:release(2, "boom", math.mininteger, 'not hostile') end)
  pcall(P[1].with, P[1], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[1]:wait(0.02)
    end
  end)
  P[2]:acquire(false)
  pcall(function() local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put({ts.main_thread(), k = "err"}); G.v = q:get() end)
  pcall(function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    G.big = t
  end)
  CO[1] = coroutine.create(function()
    local _ <close> = P[1]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[1])
  ts.sleep(TO(10))
  pcall(P[2].release, P[2], 3)
  pcall(function() P[1]:notify_all() end)
end
local function W5(...)
  do local x <close> = setmetatable({}, {__close = function() ts.yield() end}) end
  pcall(function() T[7]:join(-0.0) end)
  do
    local ok, e = pcall(function() return P[2]:release(1.5) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[1]:with(function(...)
    pcall(function() for _ = 1, 31 do ts.spawn(function() G.n = G.n + 1 end) end end)
    pcall(function()
      local t = ts.spawn(function(...)
        pcall(function() P[2]:release(100) end)
        do
          local ok, e = pcall(function() return F[6]:result() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
      end)
      t:join()
    end)
    pcall(function() ts.current_thread():join(0) end)
  end)
  ts.sleep(0.005)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(function() local _ = T[7]:is_alive(), T[7].ident, T[7].name, T[7].result, T[7].error, T[7].daemon end)
      if not pcall(function() P[2]:acquire(true, nil) end) then ts.yield() end
      pcall(function() G.local_ = ts.thread_local(nil) end)
    end
  end)
  pcall(function() P[2].acquire(P[3]) end)
  for _ = 1, 1 do
    pcall(function() P[1].notify(P[2]) end)
  end
  if CO[3] then pcall(coroutine.close, CO[3]) end
  for _ = 1, 3 do
    do
      local ok, e = pcall(function() return P[1]:release("err", nil, "") end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function() P[2].value(P[2], math.huge, TO(0.2)) end)
    pcall(P[2].release, P[2])
  end
  collectgarbage('incremental')
end
local function W6(...)
  pcall(P[3].release, P[3])
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() P[2]:release(-2^63) end)
    pcall(function() local r = P[1]:with(function(...)
      pcall(function() local t = ts.Timer(TO(1), ts.yield); t:start(); t:cancel(); t:join(0.005) end)
      collectgarbage()
      pcall(function() local _ = P[3]:acquire("x") end)
      pcall(coroutine.yield, 1)
    end, false, nil) end)
    return ...
  end, function() end) end)
  ts.sleep(0.002)
  P[1]:notify_all()
  if not pcall(function() local _ = P[3]:release() end) then ts.yield() end
  ts.sleep(0.002)
  pcall(coroutine.wrap(function() table.sort({3, 2, 1}, function() coroutine.yield() end) end))
end
local function W7(...)
  pcall(function() local _ = P[2]:value() end)
  pcall(function() P[2]:release(1) end)
  ts.check(1, nil)
  G.last = tostring(ts.current_thread())
  if not pcall(function() local _ = P[3]:wait() end) then ts.yield() end
  pcall(function() P[3].wait() end)
end
local function W8(...)
  if not pcall(function() local _ = P[3]:acquire(1, true) end) then ts.yield() end
  pcall(function()
    local t = ts.spawn(function(...)
      ts.check(G.n % 7 ~= 3, "RuntimeError")
      pcall(function() local x = ts.RLock("err", '%s%n%d'); G.last = tostring(x) end)
    end)
    t:join(TO(0.2))
  end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(ts.check, false, function() end)
      if not pcall(function() local _ = F[6]:done() end) then ts.yield() end
      error({}, -1)
      pcall(function() local _ = F[2]:result() end)
    end
  end)
  pcall(function() P[1]:release() end)
  pcall(function() T[7].result = {message = {}} end)
  local r = P[2]:with(function(...)
    do
      local _ <close> = P[3]:hold()
      pcall(function()
        local t = ts.spawn(function(...)
          pcall(function() local x = ts.Semaphore(1, {1, 2, 3}, -math.huge, 'h', "", ts.current_thread(), string.rep('v', 100000)); G.last = tostring(x) end)
          pcall(function() P[3]:release() end)
          ts.sleep(0.002)
        end)
      end)
    end
    if not pcall(function() T[8]:join(0/0) end) then ts.yield() end
    return ...
  end, nil, P[2])
  for _ = 1, 1 do
    ts.sleep(TO(0.1))
    pcall(coroutine.wrap(function() P[2]:with(function() coroutine.yield(1) end) end))
    pcall(function() ts.Thread{target = print}:join() end)
  end
  return 0, ...
end
T[1] = ts.spawn(W1, "err")
ts.yield()
T[2] = ts.Thread{target = W2, args = {coroutine.create(print)}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {'not hostile', 42}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.spawn(W5)
T[6] = ts.spawn(W6, 3.5, "RuntimeError")
T[7] = ts.spawn(W7, 1e308, "RuntimeError")
T[8] = ts.spawn(W8, "x", nil)
ts.yield()
pcall(T[1].join, T[1], 0.005)
pcall(T[5].join, T[5])
pcall(T[6].join, T[6])
pcall(T[7].join, T[7], 0.005)
pcall(T[8].join, T[8])
ts.outcome(G.n % 5, G.flag)
