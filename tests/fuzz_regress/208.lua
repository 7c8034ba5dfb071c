-- fuzz regression case (fuzz/run.sh), seed 208: lua5.4 fuzz/gen.lua 208
-- command: tsbox-asan --seed 208 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 208.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 208.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 208
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.RLock(), "conditionl-1")
P[2] = ts.RLock("rlock-2")
P[3] = ts.BoundedSemaphore()
P[6] = ts.Condition()
P[8] = ts.Event()
if ts.Queue then
  P[4] = ts.Queue(2)
  P[5] = ts.LifoQueue(0)
  P[7] = ts.PriorityQueue(5)
else
  P[4] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  if not pcall(function() local _ = P[4]:empty(nil, "x", {kind = 42}) end) then ts.yield() end
  pcall(P[1].with, P[1], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[1]:wait(0.001)
    end
  end)
end
local function W2(...)
  pcall(function() while true do local v = P[4]:get(true, 0.05); pcall(P[4].task_done, P[4]); G.v = v end end)
  if not pcall(function() T[1]:join(0/0) end) then ts.yield() end
  pcall(function() local r = P[3]:with(function(...)
    if not pcall(function() local _ = F[6]:result(0.005) end) then ts.yield() end
    local _ = ts.enumerate(), ts.active_count(), ts.get_ident(), ts.main_thread()
    do
      local ok, e = pcall(function() return P[5]:get_nowait() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function()
      local t = ts.spawn(function(...)
        P[7].empty(P[4])
        do
          local ok, e = pcall(function() return P[8]:is_set() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() local _ = P[7]:put_nowait(42) end)
      end)
      t:join()
    end)
  end, "RuntimeError") end)
  setmetatable({}, {__gc = function() P[2]:locked(0.01) end})
  collectgarbage()
  pcall(function() local _ = P[2]:release() end)
  ts.yield()
  P[3]:acquire(print, -0.5)
  pcall(function() local _ = F[4]:add_done_callback(error) end)
  local r = P[6]:with(function(...)
    if not pcall(function() T[1]:join() end) then ts.yield() end
  end, "x", "x")
  pcall(function()
    local t = ts.spawn(function(...)
      ts.yield()
    end, ts.main_thread())
    t:join(-1)
  end)
  for _ = 1, 24 do G.n = G.n + 1 end
end
local function W3(...)
  ts.sleep(0.05)
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  return "RuntimeError", ...
end
local function W4(...)
  CO[3] = coroutine.create(function()
    local _ <close> = P[3]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[3])
  pcall(function() P[1].notify(P[4], P[1], 1e-300) end)
  do
    local co = coroutine.wrap(function(...)
      pcall(function() P[3].acquire(1, {coroutine.create(print), k = {1, 2, 3}}, 0.001) end)
      for _ = 1, 3 do
        pcall(coroutine.wrap(P[8].set), P[8])
        local _ = ts.current_thread().name .. ''
      end
      pcall(function() P[5]:join() end)
    end)
    pcall(co, "boom")
  end
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      do
        local co = coroutine.wrap(function(...)
          pcall(function()
            do
              local _ <close> = P[6]:hold()
              local r = P[2]:with(function(...)
                T[2]:join(0.001)
                pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
                pcall(function() P[6]:with(function() return P[6]:wait_for(function() coroutine.yield() end, 0.005) end) end)
                if not pcall(function() P[6]:with(function() return P[6]:wait_for(nil, 0.02) end) end) then ts.yield() end
              end)
              local _ = F[6]:cancel()
            end
          end)
          pcall(function() local _ = P[6]:wait(0.001) end)
        end)
        pcall(co)
      end
      do
        local co = coroutine.wrap(function(...)
          pcall(function() ts.Thread{target = print}:join() end)
          error(math.huge)
        end)
        pcall(co, "boom")
      end
      local _ = F[3]:result(TO(math.maxinteger))
      pcall(function() local x = ts.Semaphore({parties = "RuntimeError", name = '%s%s%s%s%n'}); G.last = tostring(x) end)
    end
  end)
  do
    local _ <close> = P[2]:hold()
    pcall(function() P[8].set(P[8]) end)
  end
  pcall(P[6].with, P[6], function()
    local tries = 0
    while not G.flag and tries < 2 do
      tries = tries + 1
      local _ = P[6]:wait(-0.0)
    end
  end)
  pcall(P[1].release, P[1])
  pcall(function() P[5]:empty() end)
end
local function W5(...)
  ts.sleep(0.05)
  pcall(function() P[3]:release() end)
  pcall(function() P[8].is_set(P[8]) end)
  pcall(function() local t = ts.Timer(0, nil); t:start(); t:join(0.002) end)
  do
    local ok, e = pcall(function() return P[4]:join() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[1].release, P[1])
  CO.t1 = coroutine.running()
  pcall(function() P[3]:acquire(true, TO(math.maxinteger)) end)
end
T[1] = ts.Thread{target = W1, args = {{"x", k = ""}, math.mininteger}, name = "w1", daemon = true}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {nil, "x"}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {{1, 2, 3}, nil}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {{message = {}}, "boom"}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.Thread{target = W5, args = {P[6]}, name = "w5"}
T[5]:start()
CO[1] = coroutine.create(function()
  local _ <close> = P[6]:hold()
  coroutine.yield(1)
  G.n = G.n + 1
end)
pcall(function() local r = P[1]:with(function(...)
  pcall(P[1].with, P[1], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[1]:wait(0.002)
    end
  end)
end, P[4]) end)
do
  local ok, e = pcall(function() return T[5]:join(0.0) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
if not pcall(function() local _ = F[3]:add_done_callback(print) end) then ts.yield() end
pcall(T[2].join, T[2])
pcall(T[3].join, T[3], 0.002)
pcall(T[5].join, T[5])
print('done', G.n)
