-- fuzz regression case (fuzz/run.sh), seed 954: lua5.4 fuzz/gen.lua 954
-- command: tsbox-asan --seed 954 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 954.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 954.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 954
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
P[1] = ts.Semaphore(0)
P[2] = ts.Lock("lock-2")
P[3] = ts.Barrier{parties = 2, action = nil, timeout = nil}
P[4] = ts.Condition(ts.RLock(), "conditionl-4")
P[5] = ts.Lock{name = "p5"}
P[6] = ts.Event("event-6")
P[7] = ts.Condition(P[2])
P[8] = ts.Barrier(2, nil, nil)
P[9] = ts.Lock()
local function W1(...)
  pcall(function() local s = string.rep('x', -1); G.len = #s end)
  if not pcall(function() local _ = P[3]:wait(0) end) then ts.yield() end
  pcall(ts.sleep, -(0/0))
  error(setmetatable({}, {}))
  pcall(function()
    local t = ts.spawn(function(...)
      ts.sleep(TO(0.1))
      local _ = ts.seed(), ts.sched()
    end)
    t:join()
  end)
  for _ = 1, 4 do
    pcall(OR[1].p.with, OR[1].p, function()
      local _ <close> = ENTER(1)
      if not pcall(function() local _ = P[9]:acquire(false, 0.05) end) then ts.yield() end
    end)
    pcall(function() P[5]:locked() end)
  end
  do
    local ok, e = pcall(function() return P[7]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if OR[1].p:acquire(true, 0.02) then
    pcall(function()
      local _ <close> = ENTER(1)
      pcall(function() P[5].release(P[9], "boom", TO(1)) end)
      pcall(function() T[6].name = 0 end)
    end)
    OR[1].p:release()
  end
end
local function W2(...)
  do
    local _ <close> = P[1]:hold()
    pcall(function()
      do
        local _ <close> = P[7]:hold()
        local r = P[1]:with(function(...)
          do
            local ok, e = pcall(function() return P[4]:notify_all(ts.BrokenBarrierError, 1) end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          pcall(function() local s = string.rep('x', 100000000); G.len = #s end)
          pcall(ts.check, false, string.rep('v', 1000))
        end, ts, "x")
        local r = P[2]:with(function(...)
          pcall(function() P[3]:wait() end)
          pcall(function()
            local _ <close> = OR[1].p:hold()
            local _ <close> = ENTER(1)
            pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
            pcall(function() T[5]:join(0.002) end)
          end)
          do
            local ok, e = pcall(function() return P[5]:release() end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
        end, nil)
      end
    end)
    pcall(P[7].notify_all, P[7])
    pcall(function() ts.Barrier(2):abort() end); collectgarbage()
  end
  pcall(function() local x = ts.Barrier({parties = "err", name = '\n\t"'}); G.last = tostring(x) end)
  pcall(function()
    local t = ts.spawn(function(...)
      pcall(OR[1].p.with, OR[1].p, function()
        local _ <close> = ENTER(1)
        ts.yield()
      end)
      ts.yield()
    end)
    t:join(nil)
  end)
  ts.yield()
  return "err", ...
end
local function W3(...)
  ts.yield()
  return "", ...
end
local function W4(...)
  ts.yield()
end
local function W5(...)
  ts.yield()
  return nil, ...
end
T[1] = ts.Thread{target = W1, args = {T[1], ""}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[2]:start()
ts.yield()
T[3] = ts.spawn(W3, "x")
ts.yield()
T[4] = ts.spawn(W4, {message = {}}, T[1])
T[5] = ts.spawn(W5, P[8], H(5))
ts.yield()
T[2]:join(0.01)
pcall(T[4].join, T[4])
pcall(T[5].join, T[5], 0.005)
