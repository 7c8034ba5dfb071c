-- fuzz regression case (fuzz/run.sh), seed 884: lua5.4 fuzz/gen.lua 884
-- command: tsbox-asan --seed 884 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 884.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 884.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 884
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
P[1] = ts.Condition(ts.Lock())
P[2] = ts.Semaphore(1)
P[3] = ts.RLock()
local function W1(...)
  do
    local co = coroutine.wrap(function(...)
      pcall(OR[3].p.with, OR[3].p, function()
        local _ <close> = ENTER(3)
        pcall(function()
          do
            local _ <close> = P[3]:hold("err")
            pcall(function()
              do
                local _ <close> = P[3]:hold()
                error("x", 2)
                local _ = ts.time()
                pcall(function() P[1].notify() end)
              end
            end)
          end
        end)
        do
          local ok, e = pcall(function() return P[3]:release() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
      end)
      pcall(function() P[3]:acquire(false, 0.005) end)
      pcall(function() local _ = ts.wait(F, 0.005) end)
      pcall(function()
        do
          local _ <close> = P[3]:hold()
          pcall(function() P[1]:acquire(true, 0.005, nil, nil, 3.5) end)
          pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
          pcall(OR[2].p.with, OR[2].p, function()
            local _ <close> = ENTER(2)
            if CO[2] then pcall(coroutine.status, CO[2]) end
            pcall(function()
              do
                local _ <close> = P[2]:hold(H(6))
                pcall(function() ts.shared("x") end)
                pcall(function() P[1]:wait(nil) end)
                pcall(function() P[3]:acquire(false, 0.002) end)
                pcall(function() P[1].notify(P[3], math.mininteger) end)
              end
            end)
            if CO[1] then pcall(coroutine.resume, CO[1]) end
          end)
        end
      end)
    end)
    pcall(co)
  end
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() ts.Thread{target = nil, args = 42, name = "x y", daemon = 0/0}:start() end)
    pcall(function()
      local t = ts.spawn(function(...)
        error("x")
        T[1]:start()
      end)
      t:join()
    end)
    P[1]:release()
    pcall(function() debug.sethook(coroutine.running(), nil) end)
    return ...
  end, math.mininteger) end)
  pcall(ts.sleep, 0.01)
  collectgarbage()
  pcall(function() P[2].release() end)
  pcall(function() P[3]:release() end)
  do
    local ok, e = pcall(function() return P[1]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[1]:with(function(...)
    pcall(function() P[3].acquire(print) end)
    collectgarbage()
    pcall(P[2].release, P[2])
  end, nil, math.huge)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      pcall(function() P[2].value(P[2]) end)
      pcall(function() local r = P[3]:with(function(...)
        T[2]:start()
        do
          local co = coroutine.wrap(function(...)
            pcall(function() local x = ts.RLock(-1, "", 0.002, string.rep('N', 5000)); G.last = tostring(x) end)
            for _ = 1, 34 do G.n = G.n + 1 end
            local _ = ts.seed(), ts.sched()
          end)
          pcall(co, 42)
          pcall(co)
        end
        pcall(function()
          local _ <close> = OR[1].p:hold()
          local _ <close> = ENTER(1)
          pcall(function() local r = P[3]:with(function(...)
            pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
          end) end)
          pcall(function() local p <close> = ts.ThreadPool(2); p:submit(print, 1) end)
        end)
      end) end)
    end
  end)
  do
    local ok, e = pcall(function() return P[2]:value(math.huge, H(5), {1, 2, 3}) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  return nil, ...
end
local function W2(...)
  T[8]:join(nil)
  coroutine.yield(1)
  error("boom in critical section")
  ts.yield()
  ts.outcome(H(1))
  pcall(function() local r = P[2]:with(function(...)
    pcall(function() local p <close> = ts.ThreadPool(2); p:submit(print, 1) end)
    return ...
  end, P[1], H(10)) end)
end
local function W3(...)
  local _ = P[2]:release(2)
  pcall(function() P[2]:release(1) end)
  pcall(function() P[2].acquire(1) end)
  P[3].acquire()
  ts.sleep(TO(0.1))
end
local function W4(...)
  error(select(2, pcall(ts.Lock().release, ts.Lock())), -1)
  pcall(ts.sleep, 0.005)
  return {ts.BrokenBarrierError, k = -1}, ...
end
local function W5(...)
  pcall(function() P[2]:release(1) end)
  pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
  if CO[1] then pcall(coroutine.resume, CO[1]) end
end
local function W6(...)
  pcall(P[1].wait_for, P[1])
  if G.n % 2 == 0 then error(H(4), 2) end
  if OR[2].p:acquire(true, 0.02) then
    pcall(function()
      local _ <close> = ENTER(2)
      pcall(function()
        local t = ts.spawn(function(...)
          do
            local ok, e = pcall(function() return P[1]:notify(2) end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          do
            local _ <close> = P[2]:hold()
            pcall(ts.sleep, nil)
            pcall(function() ts.Thread{target = print}:join() end)
            pcall(function()
              do
                local _ <close> = P[3]:hold()
                do
                  local ok, e = pcall(function() return P[1]:with(function() return P[1]:wait_for(function() ts.yield(); return true end, -2) end) end)
                  if not ok then
                    local s = select(2, pcall(tostring, e))
                    G.log[#G.log % 8 + 1] = s
                    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
                  end
                end
                pcall(function() T[2]:join() end)
                pcall(function() P[2].value(P[1]) end)
              end
            end)
          end
        end, math.huge)
      end)
      pcall(string.rep, 'ab', 2^31, ',')
    end)
    OR[2].p:release()
  end
  pcall(OR[2].p.with, OR[2].p, function()
    local _ <close> = ENTER(2)
    pcall(print, 'n', G.n)
  end)
  if OR[1].p:acquire(true, 0.005) then
    pcall(function()
      local _ <close> = ENTER(1)
      pcall(function()
        do
          local _ <close> = P[1]:hold(true)
          pcall(function() T[6]:join() end)
        end
      end)
    end)
    OR[1].p:release()
  end
  pcall(ts.sleep, 0.001)
  pcall(function() P[2]:acquire(true) end)
  return "x", ...
end
local function W7(...)
  pcall(P[3].release, P[3], 2)
  pcall(OR[2].p.with, OR[2].p, function()
    local _ <close> = ENTER(2)
    pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
    pcall(coroutine.yield, 1)
  end)
  if OR[3].p:acquire(true, 0.001) then
    pcall(function()
      local _ <close> = ENTER(3)
      pcall(function() local x = ts.Lock(1, 1, 0.02, 0/0); G.last = tostring(x) end)
      do
        local co = coroutine.wrap(function(...)
          pcall(function() local _ = P[2]:value() end)
        end)
        pcall(co, 3.5)
        pcall(co)
      end
    end)
    OR[3].p:release()
  end
  pcall(function() P[1].release() end)
  pcall(function() P[3].acquire('x') end)
  pcall(P[3].release, P[3])
  do
    local ok, e = pcall(function() return P[2]:value(nil, print) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  P[2]:acquire(true)
  pcall(function() P[3]:release(0, 1, {kind = 42}) end)
  if not pcall(function() local _ = F[1]:running() end) then ts.yield() end
  pcall(coroutine.wrap(function() P[1]:with(function() coroutine.yield(1) end) end))
  pcall(P[1].release, P[1])
end
T[1] = ts.spawn(W1, ts, true)
T[2] = ts.Thread{target = W2, args = {}, name = "w2"}
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4", daemon = true}
T[4]:start()
do
  local co = coroutine.wrap(function(...)
    pcall(function() P[3].acquire(ts) end)
  end)
  pcall(co)
end
T[5] = ts.Thread{target = W5, args = {coroutine.yield, ""}, name = "w5"}
T[5]:start()
T[6] = ts.Thread{target = W6, args = {}, name = "w6", daemon = true}
do
  local _ <close> = P[3]:hold()
  pcall(function() G.local_ = ts.thread_local({x = 1}) end)
  pcall(coroutine.wrap(P[2].release), P[2])
end
T[7] = ts.spawn(W7)
pcall(function() local t = ts.Timer(0/0, error); t:start(); t:join(0.005) end)
pcall(function() T[7]:join(0.005) end)
pcall(function() debug.sethook(coroutine.running(), nil) end)
if OR[1].p:acquire(true, 0.002) then
  pcall(function()
    local _ <close> = ENTER(1)
    local _ = P[2]:value()
    do
      local _ <close> = P[1]:hold()
      pcall(P[1].wait_for, P[1])
    end
  end)
  OR[1].p:release()
end
pcall(function() local t = ts.Timer(-1, nil); t:start(); t:join(0.002) end)
pcall(P[2].release, P[2])
do
  local co = coroutine.wrap(function(...)
    ts.sleep(0.01)
  end)
  pcall(co)
  pcall(co)
end
pcall(function() P[1].wait() end)
pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
T[2]:join()
pcall(T[5].join, T[5])
