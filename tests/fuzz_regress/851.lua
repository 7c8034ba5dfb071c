-- fuzz regression case (fuzz/run.sh), seed 851: lua5.4 fuzz/gen.lua 851
-- command: tsbox-asan --seed 851 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 851.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 851.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 851
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.RLock("rlock-2")
P[3] = ts.Condition(ts.Lock(), "conditionl-3")
P[4] = ts.Condition()
P[5] = ts.Semaphore{value = 1}
if ts.Queue then
  P[1] = ts.Timer(0.01, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  for _ = 1, 3 do
    ts.check(G.n % 7 ~= 3, 'check 522')
  end
  pcall(function() T[1]:join(nil) end)
  pcall(P[3].with, P[3], function()
    G.flag = false
    P[3]:notify(1)
  end)
  P[3]:notify_all()
end
local function W2(...)
  ts.check(1, 'check 239')
  do
    local co = coroutine.wrap(function(...)
      pcall(P[3].with, P[3], function()
        local tries = 0
        while not G.flag and tries < 3 do
          tries = tries + 1
          local _ = P[3]:wait(0.001)
        end
      end)
      ts.sleep(0.05)
    end)
    pcall(co, ts.BrokenBarrierError)
  end
  return 'not hostile', ...
end
local function W3(...)
  pcall(function() P[1].start() end)
  if not pcall(function() T[2]:start() end) then ts.yield() end
  pcall(function() local _ = P[4]:notify(2^53) end)
  pcall(function() P[4].acquire(setmetatable({}, getmetatable(P[4])), ts.BrokenBarrierError) end)
end
local function W4(...)
  for _ = 1, 1 do
    pcall(ts.sleep, 0.0)
    pcall(P[4].release, P[4])
    do
      local ok, e = pcall(function() return F[6]:cancel() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end
  pcall(ts.sleep, 0/0)
  collectgarbage('generational')
  local r = P[3]:with(function(...)
    local r = P[3]:with(function(...)
      pcall(function() P[2].locked(P[2], {kind = 'RuntimeError', message = 'fake'}, TO(math.maxinteger)) end)
    end, "boom", ts.RuntimeError)
    pcall(function() P[5]:release(math.mininteger) end)
  end, P[4])
  do
    local ok, e = pcall(function() return P[4]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
local function W5(...)
  collectgarbage('generational')
  if not pcall(function() local _ = F[4]:exception(0.05) end) then ts.yield() end
  pcall(function() T[5]:join(0.01) end)
  if not pcall(function() P[3]:release() end) then ts.yield() end
  pcall(function() local r = P[5]:with(function(...)
    if G.n % 2 == 0 then error(nil, -1) end
    return ...
  end) end)
  do
    local ok, e = pcall(function() return P[2]:acquire(false, 0.002) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local _ = P[5]:acquire(true, 0) end)
end
local function W6(...)
  pcall(P[5].release, P[5])
  local _ = ts.time()
  ts.sleep(0.01)
  pcall(function() P[3].notify_all(P[2]) end)
  pcall(coroutine.yield, 1)
  pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
  pcall(function() local _ = P[1]:is_alive() end)
end
local function W7(...)
  pcall(function() local _ = P[5]:acquire(1, 0.001) end)
  pcall(function()
    local t = ts.spawn(function(...)
      local r = P[5]:with(function(...)
        ts.yield()
        return ...
      end, {kind = 'ValueError'})
    end)
    t:join(0.001)
  end)
  ts.yield()
end
local function W8(...)
  ts.yield()
end
T[1] = ts.spawn(W1, nil, "")
T[2] = ts.Thread{target = W2, args = {false, nil}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {math.mininteger}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {P[3]}, name = "w4"}
T[4]:start()
T[5] = ts.spawn(W5)
T[6] = ts.Thread{target = W6, args = {nil, coroutine.running()}, name = "w6", daemon = true}
T[6]:start()
T[7] = ts.Thread{target = W7, args = {string.rep('v', 1000000)}, name = "w7", daemon = true}
T[7]:start()
T[8] = ts.spawn(W8)
ts.yield()
pcall(T[1].join, T[1])
pcall(T[3].join, T[3], 0.002)
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
T[8]:join()
print('done', G.n)
