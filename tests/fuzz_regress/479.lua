-- fuzz regression case (fuzz/run.sh), seed 479: lua5.4 fuzz/gen.lua 479
-- command: tsbox-asan --seed 479 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 479.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 479.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 479
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Semaphore(3)
P[2] = ts.Condition()
P[3] = ts.Event("event-3")
P[4] = ts.Semaphore(1, "semaphore-4")
local function W1(...)
  ts.sleep(0.01)
  pcall(function() local _ = F[1]:running() end)
  local _ = ts.seed(), ts.sched()
  pcall(ts.check, false, 42)
  pcall(function() local _ = F[2]:add_done_callback(error) end)
  ts.sleep(TO(0))
  local _ = ts.time()
  pcall(function() P[3]:clear("err") end)
  if not pcall(function() P[3]:is_set(math.mininteger, {}, "RuntimeError") end) then ts.yield() end
  return "RuntimeError", ...
end
local function W2(...)
  pcall(function() P[1]:release() end)
  do
    local ok, e = pcall(function() return F[2]:cancel() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  return {kind = 'RuntimeError', message = 'fake'}, ...
end
local function W3(...)
  pcall(function()
    local t = ts.spawn(function(...)
      if not pcall(function() P[1]:acquire(true, 0.05) end) then ts.yield() end
    end)
  end)
  pcall(ts.sleep, TO(math.huge))
  pcall(function() local q = ts.LifoQueue(); q:put(nil); G.v = q:get() end)
  P[4].value(P[1], "", nil)
  for _ = 1, 2 do
    pcall(function() P[2]:release() end)
  end
  do
    local ok, e = pcall(function() return P[4]:value() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() P[4]:acquire(nil, TO(2^63)) end) then ts.yield() end
  G.last = tostring(ts.current_thread())
end
local function W4(...)
  do
    local _ <close> = P[4]:hold()
    for _ = 1, 4 do
      pcall(function() P[3]:is_set() end)
      do
        local _ <close> = P[1]:hold()
        pcall(function()
          do
            local _ <close> = P[1]:hold()
            ts.sleep(0.005)
            do
              local ok, e = pcall(function() return P[4]:value() end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
          end
        end)
        collectgarbage()
        ts.yield()
      end
    end
    do
      local _ <close> = P[4]:hold()
      pcall(function() local x = ts.Event(1, '%s%s%s%s%n'); G.last = tostring(x) end)
    end
  end
  local _ = P[2]:release()
  return nil, ...
end
local function W5(...)
  ts.sleep(0.001)
  ts.check(1, 'check 524')
  pcall(function() P[3]:is_set(nil, false) end)
  if not pcall(function() P[3]:wait(-(0/0), 'not hostile') end) then ts.yield() end
  pcall(P[2].with, P[2], function()
    G.flag = true
    P[2]:notify()
  end)
  local _ = pcall(ts._raise, "RuntimeError", coroutine.create(print), "RuntimeError")
  return math.huge, ...
end
local function W6(...)
  local r = P[2]:with(function(...)
    ts.sleep(0.001)
  end, true, {string.rep('v', 1000), k = "RuntimeError"})
  pcall(function()
    local t = ts.spawn(function(...)
      if not pcall(function() P[2]:wait(nil, 1e308, "err", {traceback = 1}) end) then ts.yield() end
    end, {1, 2, 3})
  end)
  pcall(function() local _ = F[6]:exception(0.02) end)
  pcall(function() local r = P[4]:with(function(...)
    P[3]:clear()
    return ...
  end) end)
  do
    local ok, e = pcall(function() return T[9]:join({1, 2, 3}) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  for _ = 1, 2 do
    pcall(function() local s = string.rep('x', 2^40); G.len = #s end)
  end
  return string.rep('v', 1000000), ...
end
local function W7(...)
  pcall(function() ts.current_thread():join(G, true) end)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(coroutine.wrap(function() table.sort({3, 2, 1}, function() coroutine.yield() end) end))
      local _ = ts.seed(), ts.sched()
      pcall(function() P[2]:release() end)
    end, false)
    t:join(0.05)
  end)
  pcall(function() local r = P[1]:with(function(...)
    do
      local ok, e = pcall(function() return T[1]:join(0.001, "x") end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(function()
      do
        local _ <close> = P[1]:hold()
        local _ = ts.current_thread().name .. ''
        local r = P[4]:with(function(...)
          pcall(P[4].release, P[4])
          pcall(ts.sleep, {})
        end, string.rep('v', 1000))
        collectgarbage('incremental')
        pcall(function() local r = P[1]:with(function(...)
          pcall(function() P[3]:wait() end)
          ts.sleep(0.05)
          return ...
        end, "", true) end)
      end
    end)
  end, "", false) end)
  pcall(function() local x = ts.BoundedSemaphore(100, {kind = 42}, 0.005, string.rep('N', 100000)); G.last = tostring(x) end)
  do
    local _ <close> = P[2]:hold()
    pcall(function() P[3].wait() end)
  end
  if not pcall(function() local _ = P[4]:acquire('no', nil) end) then ts.yield() end
  error(ts.BrokenBarrierError)
  ts.yield()
  ts.sleep(0.02)
end
local function W8(...)
  pcall(P[4].release, P[4])
  pcall(function() P[4].acquire(P[1]) end)
  ts.sleep(0.005)
  pcall(function() local x = ts.Barrier(true); G.last = tostring(x) end)
  ts.yield()
  return "x", ...
end
T[1] = ts.spawn(W1, P[3])
T[2] = ts.spawn(W2)
T[3] = ts.spawn(W3, function() end)
ts.yield()
T[4] = ts.Thread{target = W4, args = {ts}, name = "w4"}
T[4]:start()
T[5] = ts.spawn(W5)
T[6] = ts.spawn(W6, 42)
ts.yield()
T[7] = ts.spawn(W7, ts.current_thread(), "")
T[8] = ts.Thread{target = W8, args = {"err"}, name = "w8", daemon = true}
T[8]:start()
ts.yield()
pcall(T[2].join, T[2], TO(1))
pcall(T[3].join, T[3], TO(1))
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
pcall(T[6].join, T[6])
pcall(T[7].join, T[7], 0.05)
ts.outcome(G.n % 5, G.flag)
