-- fuzz regression case (fuzz/run.sh), seed 198: lua5.4 fuzz/gen.lua 198
-- command: tsbox-asan --seed 198 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 198.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 198.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 198
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.RLock()
P[2] = ts.Barrier(2, nil, 0.002)
P[3] = ts.RLock("rlock-3")
P[4] = ts.Lock()
P[6] = ts.Condition(nil, "condition-6")
P[8] = ts.Condition()
if ts.Queue then
  P[5] = ts.ThreadPool(1)
  P[7] = ts.PriorityQueue(2)
else
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[7] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local ok, e = pcall(function() return P[5]:shutdown() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do local x = ts.RLock(3.5, "fork-1"); G.last = tostring(x) end
  if not pcall(function() T[4]:join(0.01) end) then ts.yield() end
  pcall(function() P[7]:put_nowait("err") end)
  if not pcall(function() P[6]:notify_all(nil, 'not hostile') end) then ts.yield() end
end
local function W2(...)
  if not pcall(function() local _ = P[4]:release() end) then ts.yield() end
  ts.check()
  pcall(P[8].with, P[8], function()
    G.flag = false
    P[8]:notify_all()
  end)
  pcall(function() P[5]:shutdown(true, print) end)
  if CO.t1 then pcall(coroutine.close, CO.t1) end
  do
    local ok, e = pcall(function() return P[3]:acquire('no', 0.005) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() while true do local v = P[7]:get(true, 0.05); pcall(P[7].task_done, P[7]); G.v = v end end)
  pcall(function() local _ = P[7]:task_done() end)
  pcall(function() P[1].locked(P[3], 1e308, 0.01, coroutine.running(), false) end)
  local r = P[4]:with(function(...)
    pcall(function() local _ = F[3]:result(0.05) end)
  end)
end
local function W3(...)
  pcall(function() local _ = P[6]:release() end)
  pcall(function() ts.current_thread():join() end)
  pcall(function() P[4]:release() end)
  do
    local ok, e = pcall(function() return P[5]:shutdown(0, 1) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  if not pcall(function() T[2]:join() end) then ts.yield() end
end
local function W4(...)
  if not pcall(function() T[7]:join(-math.huge) end) then ts.yield() end
  pcall(function()
    do
      local _ <close> = P[7]:hold()
      pcall(function()
        do
          local _ <close> = P[8]:hold()
          pcall(function() local _ = P[7]:task_done(1e308, 'not hostile') end)
          ts.sleep(TO(1))
          pcall(ts.Thread, print)
          do
            local co = coroutine.wrap(function(...)
              pcall(P[6].with, P[6], function()
                local tries = 0
                while not G.flag and tries < 3 do
                  tries = tries + 1
                  local _ = P[6]:wait(0.002)
                end
              end)
              ts.sleep(0.002)
              do
                local _ <close> = P[6]:hold()
                pcall(function() P[6]:notify(1) end)
                ts.check(G.n % 7 ~= 3, 'check 169')
                pcall(P[8].with, P[8], function()
                  local tries = 0
                  while not G.flag and tries < 2 do
                    tries = tries + 1
                    local _ = P[8]:wait(0.05)
                  end
                end)
                pcall(P[8].release, P[8], 2)
              end
              P[8]:notify_all()
            end)
            pcall(co)
          end
        end
      end)
      if CO.t1 then pcall(coroutine.resume, CO.t1) end
      CO[3] = coroutine.create(function()
        local _ <close> = P[8]:hold()
        coroutine.yield(1)
        G.n = G.n + 1
      end)
      pcall(coroutine.resume, CO[3])
      CO[3] = coroutine.create(function()
        local _ <close> = P[8]:hold()
        coroutine.yield(1)
        G.n = G.n + 1
      end)
    end
  end)
  pcall(coroutine.wrap(function() load(function() coroutine.yield() end) end))
  do
    local co = coroutine.wrap(function(...)
      pcall(print, 'n', G.n)
      pcall(function() T[6].result = {} end)
    end)
    pcall(co)
  end
  pcall(coroutine.wrap(P[4].locked), P[4])
  do
    local ok, e = pcall(function() return T[6]:join() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local ok, e = pcall(function() return P[6]:with(function() return P[6]:wait_for(function() coroutine.yield() end, TO(1)) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  error(nil)
  pcall(P[6].with, P[6], function()
    G.flag = false
    P[6]:notify()
  end)
  pcall(ts.sleep, TO(5))
  ts.sleep(TO(0.1))
end
local function W5(...)
  pcall(function() local _ = P[3]:locked() end)
  pcall(P[5].map, P[5], function(x) ts.sleep(0.001) return x end, {})
  if not pcall(function() P[1]:locked() end) then ts.yield() end
  if not pcall(function() local _ = F[5]:done() end) then ts.yield() end
  pcall(function() local r = P[1]:with(function(...)
    local n = G.n; ts.yield(); G.n = n + 1
    pcall(function() local q = ts.Queue(1); q:put(1, false); q:put(2, false) end)
  end, "boom") end)
  ts.sleep(TO(0.1))
  pcall(function() local r = P[1]:with(function(...)
    if not pcall(function() P[2]:reset() end) then ts.yield() end
  end) end)
  for _ = 1, 3 do
    do
      local _ <close> = P[4]:hold()
      pcall(function()
        do
          local _ <close> = P[3]:hold()
          local r = P[1]:with(function(...)
            collectgarbage('incremental')
            do
              local ok, e = pcall(function() return P[8]:wait(TO(2^63)) end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
            if not pcall(function() local _ = P[4]:acquire(true, -(0/0)) end) then ts.yield() end
            return ...
          end, 0/0, ts.BrokenBarrierError)
          pcall(function()
            do
              local _ <close> = P[4]:hold()
              pcall(function() ts.Thread{target = print}:join() end)
            end
          end)
          ts.check(G.n % 7 ~= 3, 'check 889')
          pcall(function() P[5].shutdown(P[8]) end)
        end
      end)
      P[2]:reset()
      pcall(function() local x = ts.Lock('2', true); G.last = tostring(x) end)
    end
  end
  pcall(function() P[2].broken = {1, 2, 3} end)
  pcall(function() local x = ts.Event({"boom", k = ""}, 'h'); G.last = tostring(x) end)
  if not pcall(function() T[2]:start() end) then ts.yield() end
end
local function W6(...)
  for _ = 1, 47 do G.n = G.n + 1 end
  pcall(function()
    do
      local _ <close> = P[8]:hold()
      do local x <close> = setmetatable({}, {__close = function() ts.sleep(0.001) end}) end
      if not pcall(function() P[4]:locked() end) then ts.yield() end
      pcall(function() local r = P[3]:with(function(...)
        pcall(ts.sleep, nil)
        do
          local co = coroutine.wrap(function(...)
            pcall(function() local _ = P[4]:locked() end)
            local r = P[3]:with(function(...)
              pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
              pcall(function() P[6]:with(function() return P[6]:wait_for(nil, 0.05) end) end)
              pcall(function() local _ = P[5]:shutdown(1, true) end)
            end, false, 1e308)
          end)
          pcall(co)
        end
      end, 0) end)
    end
  end)
  pcall(function() local _ = P[8]:notify_all() end)
  error("boom in critical section")
  pcall(function() local _ = P[3]:locked() end)
  do
    local ok, e = pcall(function() return P[2]:abort() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local ok, e = pcall(function() return P[4]:locked() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  CO.t1 = coroutine.running()
  P[2]:reset()
  if not pcall(function() P[5]:shutdown(false) end) then ts.yield() end
  return P[2], ...
end
T[1] = ts.spawn(W1, 'not hostile')
T[2] = ts.spawn(W2)
T[3] = ts.Thread{target = W3, args = {}, name = "w3"}
do
  local ok, e = pcall(function() return F[3]:cancel() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
T[4] = ts.spawn(W4, "x", 3.5)
T[5] = ts.Thread{target = W5, args = {}, name = "w5"}
T[5]:start()
P[6]:notify_all()
T[6] = ts.Thread{target = W6, args = {nil, {}}, name = "w6"}
if not pcall(function() P[3]:acquire(1, math.mininteger) end) then ts.yield() end
pcall(function() ts.Condition(ts.Lock()) end); collectgarbage()
if not pcall(function() P[1]:locked() end) then ts.yield() end
pcall(T[2].join, T[2])
pcall(T[3].join, T[3])
pcall(T[4].join, T[4], TO(1))
pcall(T[5].join, T[5])
ts.outcome(G.n % 5, G.flag)
