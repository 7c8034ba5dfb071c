-- fuzz regression case (fuzz/run.sh), seed 434: lua5.4 fuzz/gen.lua 434
-- command: tsbox-asan --seed 434 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 434.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 434.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 434
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[3] = ts.Condition()
P[4] = ts.Event{name = "p4"}
P[5] = ts.Event{name = "p5"}
P[6] = ts.BoundedSemaphore(2, "boundedsemaphore-6")
P[8] = ts.RLock("rlock-8")
if ts.Queue then
  P[1] = ts.ThreadPool()
  P[2] = ts.Timer(0.01, function() G.n = G.n + 1 end)
  P[7] = ts.PriorityQueue(0)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() P[5]:is_set("RuntimeError", 'not hostile') end)
  for _ = 1, 2 do
    if G.local_ then G.local_.x = "x" end
    pcall(function() local t = ts.Timer(0/0, ts.yield); t:start(); t:cancel(); t:join(0.005) end)
  end
  pcall(function()
    F[#F % 6 + 1] = P[1]:submit(function(...)
      pcall(coroutine.wrap(P[2].cancel), P[2])
      pcall(function() local x = ts.Barrier(math.mininteger, "fork-1"); G.last = tostring(x) end)
      pcall(function() for _ = 1, 10 do ts.spawn(function() G.n = G.n + 1 end) end end)
      return -1
    end)
  end)
  pcall(function() local _ = F[4]:running() end)
end
local function W2(...)
  pcall(function() P[1]:shutdown(nil, true) end)
  pcall(ts.sleep, TO(1))
  pcall(function()
    do
      local _ <close> = P[8]:hold()
      if not pcall(function() local _ = P[7]:full() end) then ts.yield() end
      do
        local _ <close> = P[8]:hold()
        for _ = 1, 4 do
          pcall(P[3].with, P[3], function()
            local tries = 0
            while not G.flag and tries < 2 do
              tries = tries + 1
              local _ = P[3]:wait(0.05)
            end
          end)
          pcall(P[1].map, P[1], function(x) return x end, {1, 2, 3})
        end
        do
          local ok, e = pcall(function() return P[3]:with(function() return P[3]:wait_for(function() ts.yield(); return true end, 0.005) end) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() P[3]:notify_all() end)
        do local x <close> = setmetatable({}, {__close = function() error('close boom') end}) end
      end
      pcall(function() P[3]:acquire(print, 0.001) end)
      do
        local co = coroutine.wrap(function(...)
          pcall(P[3].notify, P[3])
          collectgarbage()
        end)
        pcall(co)
        pcall(co)
      end
    end
  end)
  ts.sleep(TO(10))
  pcall(function() local _ = P[1]:shutdown(false, true) end)
end
local function W3(...)
  ts.check(1, 'check 784')
  if not pcall(function() T[2]:join(0.002) end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[8]:locked() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[7]:put() end)
  if not pcall(function() local _ = P[7]:put(P[1], true, TO(math.huge)) end) then ts.yield() end
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  collectgarbage()
  pcall(function() ts.Semaphore(0):release() end); collectgarbage()
  for _, p in ipairs(P) do G.last = tostring(p) end
  error({}, 0)
end
T[1] = ts.Thread{target = W1, args = {'not hostile'}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {"err", "RuntimeError"}, name = "w2"}
T[3] = ts.Thread{target = W3, args = {coroutine.yield}, name = "w3"}
T[3]:start()
pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)
if not pcall(function() local _ = P[6]:acquire('no', 0.002) end) then ts.yield() end
pcall(function() P[5]:clear() end)
pcall(function()
  do
    local _ <close> = P[3]:hold()
    pcall(ts.check, false, nil)
    pcall(function() P[7]:put() end)
  end
end)
local r = P[6]:with(function(...)
  pcall(coroutine.wrap(function() P[8]:with(function() coroutine.yield(1) end) end))
  pcall(function() P[8]:release(true, 3.5) end)
end, true)
if not pcall(function() P[4]:clear(ts) end) then ts.yield() end
do
  local co = coroutine.wrap(function(...)
    pcall(function() local _ = F[4]:running() end)
    pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  end)
  pcall(co)
end
pcall(function() P[1]:shutdown() end)
pcall(function()
  do
    local _ <close> = P[1]:hold()
    pcall(function() for _ = 1, 12 do ts.spawn(function() G.n = G.n + 1 end) end end)
    local _ = P[6]:release()
  end
end)
T[1]:join()
pcall(T[3].join, T[3], 0.0)
ts.outcome(G.n % 5, G.flag)
print('done', G.n)
