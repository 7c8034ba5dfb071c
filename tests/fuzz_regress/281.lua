-- fuzz regression case (fuzz/run.sh), seed 281: lua5.4 fuzz/gen.lua 281
-- command: tsbox-asan --seed 281 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 281.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 281.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 281
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Barrier(4, nil, 0.02)
P[2] = ts.Lock{name = "p2"}
P[3] = ts.Condition(P[2], "conditionl-3")
P[4] = ts.Semaphore(2, "semaphore-4")
P[5] = ts.Barrier(1, nil, 0.002)
P[6] = ts.Lock("lock-6")
P[7] = ts.Lock{name = "p7"}
P[8] = ts.BoundedSemaphore(3)
local function W1(...)
  ts.yield(1, 2)
  if not pcall(function() P[8]:value() end) then ts.yield() end
  pcall(ts.outcome, false, "err")
  pcall(function() P[6].locked(P[6], function() end, 0.05) end)
  local _ = P[5].parties, P[5].n_waiting, P[5].broken, P[5].nope
  if not pcall(function() P[3]:with(function() return P[3]:wait_for(function() error('pred boom') end, 0.005) end) end) then ts.yield() end
  do
    local ok, e = pcall(function() return P[4]:acquire(0, nil) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[5]:abort() end)
  pcall(function() local x = ts.Condition({}, 0/0, 0.01, "vault"); G.last = tostring(x) end)
end
local function W2(...)
  if not pcall(function() P[1]:reset() end) then ts.yield() end
  pcall(function() local _ = P[3]:release() end)
  ts.check(nil ~= false, 'check 883')
  pcall(function() P[2]:locked() end)
  return nil, ...
end
local function W3(...)
  do
    local ok, e = pcall(function() return P[5]:abort() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(P[6].release, P[6], -1)
  local _ = ts.time()
  error({kind = 'RuntimeError'}, 0)
  ts.sleep(0.001)
  pcall(function() P[1].wait(setmetatable({}, getmetatable(P[1]))) end)
  pcall(function() P[7]:locked() end)
  if not pcall(function() local _ = P[4]:acquire(nil, 0.05) end) then ts.yield() end
  pcall(function() ts.shared({kind = 'ValueError'}) end)
  G.last = tostring(ts.current_thread())
  pcall(ts.sleep, 0/0)
  setmetatable({}, {__gc = function() P[2]:acquire(0.05) end})
end
local function W4(...)
  pcall(function() P[4]:value() end)
  if CO.main then pcall(coroutine.status, CO.main) end
  pcall(function() P[1].wait() end)
  P[1]:abort()
  pcall(ts.sleep, 0.02)
  P[8]:acquire(true, -(0/0))
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1", daemon = true}
T[1]:start()
pcall(function() local _ = P[1]:wait(0.01) end)
T[2] = ts.Thread{target = W2, args = {{kind = 42}, ""}, name = "w2"}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {}, name = "w3"}
T[3]:start()
T[4] = ts.spawn(W4)
ts.sleep(0.01)
if G.n % 2 == 0 then error({}) end
pcall(T[2].join, T[2], TO(1))
pcall(T[3].join, T[3])
ts.outcome(G.n % 5, G.flag)
