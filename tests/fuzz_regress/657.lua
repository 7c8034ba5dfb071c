-- fuzz regression case (fuzz/run.sh), seed 657: lua5.4 fuzz/gen.lua 657
-- command: tsbox-asan --seed 657 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 657.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 657.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 657
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Event()
P[3] = ts.RLock{name = "p3"}
P[4] = ts.Semaphore(0)
P[5] = ts.Condition(ts.RLock())
if ts.Queue then
  P[2] = ts.LifoQueue(0)
else
  P[2] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  if not pcall(function() local _ = P[2]:full(P[1]) end) then ts.yield() end
  pcall(function() while true do local v = P[2]:get(true, 0.05); pcall(P[2].task_done, P[2]); G.v = v end end)
  if not pcall(function() local _ = F[1]:done() end) then ts.yield() end
  pcall(function() P[1]:set(nil, P[3], {traceback = 1}) end)
  for _ = 1, 1 do
    pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
    do
      local co = coroutine.wrap(function(...)
        collectgarbage()
        pcall(function()
          local t = ts.spawn(function(...)
            ts.sleep(TO(1))
            ts.sleep(TO(1))
            if not pcall(function() P[5]:with(function() return P[5]:wait_for(function() error('pred boom') end, 0.005) end) end) then ts.yield() end
          end)
          t:join()
        end)
        do
          local ok, e = pcall(function() return F[6]:result(0.005) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() local x = ts.RLock(string.rep('v', 100000), '\n\t"'); G.last = tostring(x) end)
      end)
      pcall(co)
    end
    pcall(function() local t = ts.Timer(0/0, print); t:start(); t:join(0.05) end)
  end
  pcall(function() while true do local v = P[2]:get(true, 0.01); pcall(P[2].task_done, P[2]); G.v = v end end)
  return false, ...
end
local function W2(...)
  local _ = ts.current_thread().name .. ''
  pcall(function() P[3].acquire(P[2]) end)
  if not pcall(function() P[2]:put(true, nil, print) end) then ts.yield() end
  P[1].is_set()
  pcall(function() local _ = P[3]:locked() end)
  pcall(function() ts.current_thread():join(-2) end)
  G.n = G.n + 1
  do
    local ok, e = pcall(function() return P[3]:acquire(print, -1) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W3(...)
  ts.sleep(TO(0))
  ts.yield()
  return "x", ...
end
T[1] = ts.spawn(W1, -1)
ts.yield()
T[2] = ts.Thread{target = W2, args = {nil, "boom"}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {""}, name = "w3"}
T[3]:start()
ts.yield()
pcall(T[2].join, T[2])
pcall(T[3].join, T[3])
ts.outcome(G.n % 5, G.flag)
