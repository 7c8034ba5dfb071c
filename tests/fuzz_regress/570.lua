-- fuzz regression case (fuzz/run.sh), seed 570: lua5.4 fuzz/gen.lua 570
-- command: tsbox-asan --seed 570 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 570.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 570.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 570
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Lock()
P[2] = ts.Condition(ts.RLock())
P[3] = ts.Condition()
P[4] = ts.BoundedSemaphore()
local function W1(...)
  if not pcall(function() P[2]:notify(1) end) then ts.yield() end
  pcall(function() local _ = P[3]:acquire(true, -0.5) end)
  local _ = P[4]:acquire(0, -(0/0))
  pcall(function() P[2]:wait(0.02) end)
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      ts.yield()
      pcall(ts.sleep, nil)
      P[4]:value()
    end
  end)
  pcall(function() P[2].notify(P[3]) end)
  pcall(P[4].release, P[4])
  do
    local _ <close> = P[3]:hold()
    pcall(function() P[2]:wait(0.05) end)
    ts.yield()
  end
  pcall(ts.sleep, 0.05)
  return false, ...
end
local function W2(...)
  do
    local _ <close> = P[2]:hold()
    do
      local _ <close> = P[1]:hold()
      pcall(function() local _ = T[1]:is_alive(), T[1].ident, T[1].name, T[1].result, T[1].error, T[1].daemon end)
    end
    collectgarbage()
    pcall(function()
      do
        local _ <close> = P[3]:hold(nil)
        local _ = ts.enumerate(), ts.active_count(), ts.get_ident(), ts.main_thread()
        do
          local ok, e = pcall(function() return P[2]:release() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() P[4].acquire() end)
        pcall(function() P[4]:value() end)
      end
    end)
  end
  ts.sleep(0.01)
  error({kind = 'RuntimeError'})
  pcall(function() P[2]:notify() end)
  pcall(P[2].release, P[2])
  ts.sleep(0.01)
  pcall(function() P[3]:with(function() return P[3]:wait_for(function() return nil end, 0.001) end) end)
  pcall(function() P[1]:acquire(nil, 0.002) end)
  collectgarbage()
  pcall(P[1].release, P[1])
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[2]:wait(0.02)
    end
  end)
  if not pcall(function() P[3]:acquire(1) end) then ts.yield() end
end
local function W3(...)
  for _ = 1, 1 do
    local _ = ts.seed(), ts.sched()
  end
  do
    local ok, e = pcall(function() return P[2]:notify() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W4(...)
  pcall(function() P[1]:acquire(true, 0.001) end)
  do
    local _ <close> = P[2]:hold()
    do
      local _ <close> = P[3]:hold()
      pcall(function()
        local t = ts.spawn(function(...)
          pcall(function() local x = ts.Condition({nil, k = ts}, "fork-1"); G.last = tostring(x) end)
          pcall(P[2].with, P[2], function()
            G.flag = not G.flag
            P[2]:notify_all()
          end)
          P[1].release(nil, false, TO(0.2))
        end, 1e308)
        t:join(TO(2^53))
      end)
    end
    do
      local ok, e = pcall(function() return P[1]:locked() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    local r = P[2]:with(function(...)
      pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
      T[2]:join()
      ts.check(G.n % 7 ~= 3, 'check 96')
      ts.sleep(TO(1))
      return ...
    end, 0/0, true)
  end
  pcall(P[2].release, P[2], 1)
  pcall(function() local r = P[2]:with(function(...)
    do
      local _ <close> = P[2]:hold()
      for _ = 1, 1 do
        pcall(function() local x = ts.Lock(string.rep('v', 1000), "a"); G.last = tostring(x) end)
        pcall(function() P[4]:release(1) end)
        if not pcall(function() P[3]:release(string.rep('v', 1000000)) end) then ts.yield() end
      end
      ts.sleep(0.005)
      local _ = ts.seed(), ts.sched()
    end
    pcall(function() P[2].notify_all() end)
    pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
    local r = P[1]:with(function(...)
      T[4]:join(nil)
      do
        local ok, e = pcall(function() return P[4]:acquire(0, TO(30)) end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
      return ...
    end)
  end) end)
  pcall(function() ts.Thread{target = print}:join() end)
  do
    local ok, e = pcall(function() return P[1]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local ok, e = pcall(function() return P[3]:with(function() return P[3]:wait_for(function() ts.yield(); return true end, 0.05) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.check(G.n % 7 ~= 3, 'check 328')
  local _ = P[1]:locked()
end
T[1] = ts.spawn(W1)
pcall(function() P[3]:notify_all() end)
T[2] = ts.Thread{target = W2, args = {{3.5, k = "boom"}, 'not hostile'}, name = "w2"}
P[2]:wait(0.002)
T[3] = ts.Thread{target = W3, args = {{3.5, k = 1}, math.huge}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4, "")
pcall(function() local r = P[2]:with(function(...)
  ts.check(type(G) == 'table', nil)
  P[2].acquire()
  pcall(function() ts.Thread{target = print}:join() end)
  if not pcall(function() P[4]:value() end) then ts.yield() end
  return ...
end, "err", 3.5) end)
P[1].release(coroutine.running())
ts.sleep(TO(0))
pcall(T[1].join, T[1])
T[2]:join(0.002)
pcall(T[4].join, T[4])
