-- fuzz regression case (fuzz/run.sh), seed 539: lua5.4 fuzz/gen.lua 539
-- command: tsbox-asan --seed 539 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 539.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 539.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 539
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Lock()
P[2] = ts.Event()
P[3] = ts.Barrier(2, nil, nil, "barrier-3")
P[4] = ts.Semaphore{value = 2}
P[5] = ts.Barrier(3, nil, 0.002, "barrier-5")
P[6] = ts.RLock{name = "p6"}
P[7] = ts.Condition(ts.Lock())
local function W1(...)
  do
    local _ <close> = P[7]:hold()
    for _ = 1, 1 do
      do
        local ok, e = pcall(function() return P[7]:acquire(false) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
    pcall(function() ts.Thread{target = print}:join() end)
    pcall(P[7].release, P[7])
  end
  local r = P[4]:with(function(...)
    do
      local ok, e = pcall(function() return P[7]:notify_all() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    do
      local ok, e = pcall(function() return T[6]:join(-0.0) end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(P[7].with, P[7], function()
      local tries = 0
      while not G.flag and tries < 1 do
        tries = tries + 1
        local _ = P[7]:wait(nil)
      end
    end)
    pcall(function() local p = ts.ThreadPool(2); p:shutdown(); p:submit(print) end)
    return ...
  end, {{1, k = string.rep('v', 100000)}, k = 1e308}, ts.current_thread())
  T[6]:join()
  for _ = 1, 1 do
    if not pcall(function() local _ = P[1]:release() end) then ts.yield() end
  end
  local _ = ts.current_thread().name .. ''
  P[3]:abort()
  ts.yield()
  pcall(function() local _ = ts.wait(F, 0.005) end)
end
local function W2(...)
  local r = P[4]:with(function(...)
    collectgarbage()
    return ...
  end, true, "x")
  pcall(function() local r = P[6]:with(function(...)
    error("", 2)
    return ...
  end, {1, 2, 3}, "boom") end)
  pcall(function() P[1]:acquire(0, nil) end)
  collectgarbage()
  ts.yield()
  pcall(function() P[3].broken = "boom" end)
  pcall(function() T[6]:join(0.01) end)
  pcall(P[7].release, P[7])
  pcall(function() local x = ts.RLock(math.maxinteger, P[2], 0.002, math.mininteger); G.last = tostring(x) end)
  ts.sleep(TO(0.1))
end
local function W3(...)
  do
    local ok, e = pcall(function() return P[2]:set() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[2].is_set(P[7]) end)
  if not pcall(function() P[4]:acquire(0) end) then ts.yield() end
  pcall(function() P[5]:abort() end)
  do
    local ok, e = pcall(function() return P[2]:is_set() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.yield(1, 2)
end
local function W4(...)
  local r = P[1]:with(function(...)
    local _ = P[3]:abort()
    pcall(function() ts.Thread{target = print}:join() end)
  end, "", {P[2], k = "RuntimeError"})
  ts.sleep(TO(1))
  P[6]:acquire(0, TO(2^63))
  return true, ...
end
local function W5(...)
  do
    local co = coroutine.wrap(function(...)
      ts.yield(1, 2)
    end)
    pcall(co)
    pcall(co)
  end
  do
    local _ <close> = P[1]:hold()
    ts.check(nil ~= false, 'check 495')
    pcall(function() local _ = F[6]:cancel() end)
    for _, p in ipairs(P) do G.last = tostring(p) end
    pcall(function() P[5]:reset() end)
  end
  pcall(P[7].with, P[7], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[7]:wait(0.001)
    end
  end)
  pcall(coroutine.wrap(function() P[1]:with(function() coroutine.yield(1) end) end))
  for _ = 1, 2 do
    pcall(P[7].with, P[7], function()
      local tries = 0
      while not G.flag and tries < 1 do
        tries = tries + 1
        local _ = P[7]:wait(0.05)
      end
    end)
  end
  ts.check(type(G) == 'table', "err")
end
local function W6(...)
  do
    local _ <close> = P[6]:hold()
    pcall(function() T[6]:join(TO(30)) end)
    local _ = pcall(ts._raise, 'not hostile', true, "x")
    ts.sleep(0.002)
    pcall(ts.sleep, nil)
  end
  pcall(function() P[5].reset() end)
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[2] = ts.spawn(W2)
T[3] = ts.Thread{target = W3, args = {0/0}, name = "w3"}
T[3]:start()
pcall(function() P[4]:acquire(nil, 0.0) end)
T[4] = ts.Thread{target = W4, args = {G}, name = "w4"}
T[4]:start()
T[5] = ts.Thread{target = W5, args = {}, name = "w5", daemon = true}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {-1, "x"}, name = "w6"}
T[6]:start()
pcall(function() ts.current_thread():join(0/0, 'not hostile', {"err", k = 'not hostile'}) end)
pcall(ts.Thread, {})
do
  local co = coroutine.wrap(function(...)
    pcall(function() P[7]:with(function() return P[7]:wait_for(function() coroutine.yield() end, nil) end) end)
    pcall(function() local _ = F[4]:add_done_callback(42) end)
    ts.sleep(0.05)
  end)
  pcall(co)
end
pcall(function() for _ = 1, 8 do ts.spawn(function() G.n = G.n + 1 end) end end)
pcall(P[6].release, P[6], 1)
ts.sleep(0.002)
do
  local _ <close> = P[4]:hold()
  do
    local ok, e = pcall(function() return P[4]:acquire(print, 0.0) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[6].release, P[6])
end
pcall(T[2].join, T[2], 0.002)
pcall(T[3].join, T[3], 0.02)
pcall(T[4].join, T[4], 0.001)
pcall(T[6].join, T[6], TO(1))
