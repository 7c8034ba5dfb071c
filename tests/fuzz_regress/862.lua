-- fuzz regression case (fuzz/run.sh), seed 862: lua5.4 fuzz/gen.lua 862
-- command: tsbox-asan --seed 862 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 862.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 862.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 862
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock()
P[3] = ts.Condition(P[1])
P[5] = ts.Event{name = "p5"}
P[6] = ts.RLock("rlock-6")
P[7] = ts.Semaphore{value = 1}
if ts.Queue then
  P[2] = ts.ThreadPool(1)
  P[4] = ts.ThreadPool()
  P[8] = ts.Timer(0.01, function() G.n = G.n + 1 end)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[8] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do local x = ts.Condition({parties = 'not hostile', name = 1}); G.last = tostring(x) end
  pcall(P[3].with, P[3], function()
    G.flag = true
    P[3]:notify_all()
  end)
  local r = P[7]:with(function(...)
    for _ = 1, 4 do
      ts.sleep(0.05)
    end
    pcall(function() P[1].locked(P[5], ts.current_thread(), TO(30)) end)
    return ...
  end, nil, 0/0)
  pcall(function() local t = ts.Timer(0/0, nil); t:start(); t:cancel(); t:join(0.005) end)
  pcall(function() local _ = T[7]:is_alive(), T[7].ident, T[7].name, T[7].result, T[7].error, T[7].daemon end)
  pcall(P[3].notify, P[3])
end
local function W2(...)
  pcall(function() local _ = P[1]:acquire(false, -2) end)
  do
    local ok, e = pcall(function() return P[2]:shutdown(false, false) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  error(nil)
  do
    local co = coroutine.wrap(function(...)
      do
        local ok, e = pcall(function() return P[6]:acquire(true, nil) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(function() local _ = P[5]:clear() end)
      pcall(function() local x = ts.Lock(1, "x y"); G.last = tostring(x) end)
      pcall(function() local r = P[7]:with(function(...)
        pcall(P[7].release, P[7])
        ts.sleep(0.001)
        do local x <close> = setmetatable({}, {__close = function() error('close boom') end}) end
      end) end)
    end)
    pcall(co)
  end
  pcall(function() local _ = P[3]:wait(-0.0) end)
  if not pcall(function() local _ = P[1]:locked() end) then ts.yield() end
  P[2]:shutdown()
  CO.t1 = coroutine.running()
  pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
end
local function W3(...)
  pcall(P[3].notify, P[3])
  do
    local ok, e = pcall(function() return F[6]:exception(0.002) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(ts.Thread, {target = print, args = {}, extra = 1})
  pcall(function() P[7]:release() end)
  P[7]:acquire(0, -(0/0))
  ts.sleep(TO(0))
  local _ = P[4]:shutdown()
  pcall(function() P[7].acquire() end)
  ts.yield()
end
local function W4(...)
  CO[1] = coroutine.create(function()
    local _ <close> = P[7]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[1])
  pcall(function() P[6]:release() end)
  local _ = ts.seed(), ts.sched()
  pcall(function() local _ = P[5]:set() end)
  if not pcall(function() P[1]:locked(T[1]) end) then ts.yield() end
end
local function W5(...)
  ts.sleep(TO(1))
  CO.t1 = coroutine.running()
  pcall(function() P[6]:acquire(true, 0.02) end)
  local _ = P[4]:shutdown(false, print, "boom", {message = {}}, 42)
  pcall(function() local r = P[3]:with(function(...)
    do
      local ok, e = pcall(function() return P[6]:locked() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    ts.yield()
    pcall(function() local r = P[1]:with(function(...)
      P[3]:wait(0.02)
      do local x <close> = setmetatable({}, {__close = function() collectgarbage() end}) end
      do
        local ok, e = pcall(function() return P[2]:shutdown(false, nil) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      pcall(function()
        local t = ts.spawn(function(...)
          pcall(ts.sleep, 0.01)
          pcall(P[3].with, P[3], function()
            local tries = 0
            while not G.flag and tries < 2 do
              tries = tries + 1
              local _ = P[3]:wait(0.01)
            end
          end)
        end, string.rep('v', 1000))
        t:join(nil)
      end)
    end, "RuntimeError") end)
  end, P[1], nil) end)
  pcall(function() P[3]:with(function() return P[3]:wait_for(function() return G.flag end, 0.005) end) end)
end
local function W6(...)
  pcall(function() P[3]:notify_all() end)
  if G.local_ then G.local_.x = T[1] end
end
local function W7(...)
  pcall(function() T[6].name = G end)
  local r = P[7]:with(function(...)
    collectgarbage('incremental')
    do
      local _ <close> = P[2]:hold()
      collectgarbage()
      P[6].acquire()
      pcall(function() local r = P[3]:with(function(...)
        pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
        pcall(function() ts.current_thread():join(TO(0.2), {kind = 42}) end)
        pcall(function() local _ = P[3]:notify(1) end)
      end, "RuntimeError", {{message = {}}, k = coroutine.yield}) end)
      pcall(function() P[4]:shutdown(true, true) end)
    end
  end, 3.5)
  pcall(function() P[1].acquire(P[5]) end)
  if not pcall(function() local _ = P[1]:acquire(true, 0.01, {nil, k = -1}) end) then ts.yield() end
  if not pcall(function() P[3]:with(function() return P[3]:wait_for(function() return G.n > 10 end, 0.02) end) end) then ts.yield() end
  collectgarbage()
  pcall(function() local r = P[6]:with(function(...)
    for _ = 1, 2 do
      pcall(function() P[2]:shutdown(false, 1, "boom", "boom", true) end)
      P[1].release(P[1])
      pcall(function() P[7]:release(-1) end)
    end
    pcall(P[3].wait_for, P[3])
    if CO[2] then pcall(coroutine.resume, CO[2]) end
  end, P[2], -1) end)
  ts.check(1, 'check 737')
  ts.outcome({"x", k = true})
end
T[1] = ts.spawn(W1)
collectgarbage()
T[2] = ts.spawn(W2)
T[3] = ts.Thread{target = W3, args = {true}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {nil}, name = "w4"}
T[5] = ts.Thread{target = W5, args = {0, nil}, name = "w5"}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {}, name = "w6"}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {-1}, name = "w7"}
T[7]:start()
local _ = ts.seed(), ts.sched()
if not pcall(function() P[3]:wait() end) then ts.yield() end
pcall(P[3].with, P[3], function()
  G.flag = not G.flag
  P[3]:notify(0/0)
end)
pcall(function() local _ = P[7]:acquire(true, TO(1e308)) end)
local _ = ts.time()
pcall(T[1].join, T[1])
T[4]:join()
pcall(T[6].join, T[6])
pcall(T[7].join, T[7], TO(1))
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
