-- fuzz regression case (fuzz/run.sh), seed 379: lua5.4 fuzz/gen.lua 379
-- command: tsbox-asan --seed 379 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 379.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 379.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 379
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.RLock("rlock-2")
P[3] = ts.Condition(P[2], "conditionl-3")
P[4] = ts.RLock()
P[6] = ts.RLock("rlock-6")
P[7] = ts.Barrier(4, nil, nil, "barrier-7")
if ts.Queue then
  P[1] = ts.Timer(0.005, function() G.n = G.n + 1 end)
  P[5] = ts.ThreadPool()
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[5] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(ts.sleep, 0.002)
  pcall(function() P[5].shutdown() end)
  P[4]:acquire(true)
  if not pcall(function() P[4]:locked() end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[4]:acquire(true, 0/0) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local _ <close> = P[2]:hold(0/0)
    pcall(function() P[5]:shutdown(0, true) end)
    pcall(function()
      F[#F % 6 + 1] = P[5]:submit(function(...)
        pcall(function() for _, v in pairs(debug.getregistry()) do G.last = tostring(v) end end)
        return 'not hostile'
      end)
    end)
    pcall(function() P[2]:acquire() end)
    local r = P[2]:with(function(...)
      pcall(function() local x = ts.Lock(1, {kind = 42}, -(0/0), true); G.last = tostring(x) end)
    end, ts)
  end
  pcall(function() ts.current_thread():join(0.05) end)
  return {kind = 'RuntimeError', message = 'fake'}, ...
end
local function W2(...)
  pcall(function() T[4]:join(0.005) end)
  error(setmetatable({}, {}))
  pcall(function() local q = ts.LifoQueue(); q:put(nil); G.v = q:get() end)
  pcall(function() P[5]:shutdown(true) end)
  pcall(function() T[3].result = error end)
  pcall(function() local s = string.rep('x', math.maxinteger); G.len = #s end)
  return nil, ...
end
local function W3(...)
  pcall(function() P[5].shutdown(print) end)
  ts.sleep(0.05)
  pcall(function() local _ = P[3]:notify_all() end)
  pcall(function() P[3]:wait(-1) end)
  return P[7], ...
end
T[1] = ts.spawn(W1)
T[2] = ts.Thread{target = W2, args = {"RuntimeError", nil}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {42}, name = "w3", daemon = true}
T[3]:start()
if CO[1] then pcall(coroutine.status, CO[1]) end
do
  local ok, e = pcall(function() return P[7]:reset() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(T[1].join, T[1])
