-- fuzz regression case (fuzz/run.sh), seed 319: lua5.4 fuzz/gen.lua 319
-- command: tsbox-asan --seed 319 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 319.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 319.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 319
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.Lock())
P[2] = ts.RLock("rlock-2")
P[3] = ts.Event()
P[4] = ts.Event()
local function W1(...)
  pcall(function() local q = ts.Queue(3); q:put(1, false); q:put(2, false) end)
  pcall(function() P[2].acquire() end)
  pcall(function() P[3]:wait(0/0) end)
  pcall(ts.sleep, TO(1))
  pcall(function() T[2]:join() end)
  pcall(function() P[1]:release() end)
  local _ = P[1]:notify('2')
  do
    local ok, e = pcall(function() return P[1]:with(function() return P[1]:wait_for(function() ts.yield(); return true end, 0.02) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[2]:acquire(false, 0.002) end)
  pcall(P[1].release, P[1])
end
T[1] = ts.Thread{target = W1, args = {}, name = "w1"}
T[1]:start()
do
  local ok, e = pcall(function() return F[6]:add_done_callback(print) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(print, 'n', G.n)
collectgarbage()
ts.yield(1, 2)
pcall(function() local r = P[2]:with(function(...)
  if not pcall(function() P[1]:notify_all() end) then ts.yield() end
  do
    local _ <close> = P[2]:hold()
    pcall(ts.check, false, coroutine.running())
    P[3]:set()
  end
  pcall(function() P[1]:acquire(true) end)
  if G.n % 2 == 0 then error("boom in critical section", -1) end
end, 'not hostile') end)
local _ = ts.current_thread().name .. ''
ts.yield()
pcall(T[1].join, T[1])
print('done', G.n)
