-- fuzz regression case (fuzz/run.sh), seed 240: lua5.4 fuzz/gen.lua 240
-- command: tsbox-asan --seed 240 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 240.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 240.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 240
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Semaphore(2, "semaphore-1")
P[2] = ts.Condition(ts.RLock())
P[3] = ts.Event()
local function W1(...)
  pcall(function() P[3].set(P[1], true, nil) end)
  for _ = 1, 27 do G.n = G.n + 1 end
  pcall(function() P[3]:set() end)
  pcall(function() P[2]:with(function() return P[2]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, 0.005) end) end)
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[2]:wait(0.05)
    end
  end)
  if not pcall(function() T[1]:join(0.01) end) then ts.yield() end
  pcall(function() local _ = P[2]:acquire(true, nil) end)
end
local function W2(...)
  pcall(function() local _ = F[2]:done() end)
  CO[2] = coroutine.create(function()
    local _ <close> = P[1]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
  pcall(coroutine.resume, CO[2])
  pcall(function() P[3]:wait(0/0, "boom", math.huge) end)
  pcall(function() local s = string.rep('x', 10000000); G.len = #s end)
  do
    local ok, e = pcall(function() return P[2]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() local s = string.rep('x', 10000000); G.len = #s end)
  do
    local ok, e = pcall(function() return P[2]:with(function() return P[2]:wait_for(function() return G.n > 10 end, 0.001) end) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.check(G.n % 7 ~= 3, 'check 28')
  pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end}) return tostring(t) end)
  pcall(function() local _ = F[3]:running() end)
  do
    local ok, e = pcall(function() return P[2]:acquire(false, 0/0) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() P[3].set() end)
end
local function W3(...)
  local _ = P[3]:set()
  pcall(function() local _ = P[1]:value() end)
  pcall(function() P[2]:notify(0/0) end)
  if not pcall(function() P[3]:clear() end) then ts.yield() end
  do
    local co = coroutine.wrap(function(...)
      pcall(P[2].with, P[2], function()
        local tries = 0
        while not G.flag and tries < 2 do
          tries = tries + 1
          local _ = P[2]:wait(nil)
        end
      end)
    end)
    pcall(co, false)
  end
  error(nil)
  pcall(P[2].release, P[2], 1)
  pcall(function() P[2]:release() end)
  error("boom in critical section")
  local _ = P[3]:set()
end
local function W4(...)
  local r = P[1]:with(function(...)
    pcall(function() local r = P[1]:with(function(...)
      local r = P[2]:with(function(...)
        P[1]:value()
        pcall(P[2].wait, P[2])
        error(math.huge)
        pcall(function()
          do
            local _ <close> = P[2]:hold()
            pcall(function() local _ = P[1]:value() end)
            pcall(function() P[1]:value() end)
          end
        end)
      end, T[1])
      ts.yield(1, 2)
      pcall(function() local s = string.rep('x', 10); G.len = #s end)
    end, 'not hostile') end)
    do
      local ok, e = pcall(function() return P[1]:value() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    do
      local ok, e = pcall(function() return T[2]:start() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
  end, string.rep('v', 100000))
  pcall(function() P[2].release(P[1], string.rep('v', 1000000), 0.002) end)
  pcall(function() ts.Thread{target = nil, args = {1, 2}, name = "vault", daemon = ""}:start() end)
  pcall(P[1].release, P[1], 1)
  P[2]:notify_all()
  do
    local ok, e = pcall(function() return P[2]:notify_all() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  error(select(2, pcall(ts.Lock().release, ts.Lock())))
  pcall(function()
    do
      local _ <close> = P[1]:hold()
      local r = P[1]:with(function(...)
        pcall(P[2].with, P[2], function()
          G.flag = true
          P[2]:notify(1)
        end)
      end)
      error(select(2, pcall(ts.Lock().release, ts.Lock())))
      pcall(function() P[1]:acquire(true, -1, "x", T[1], {-1, k = "RuntimeError"}) end)
      pcall(function()
        do
          local _ <close> = P[2]:hold()
          pcall(function() P[3]:wait(0.01) end)
        end
      end)
    end
  end)
  ts.yield()
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[2]:wait(0.002)
    end
  end)
  pcall(function() local r = P[1]:with(function(...)
    pcall(function() T[6]:join(0.05) end)
    for _ = 1, 3 do
      ts.sleep(TO(10))
      pcall(function() P[2].acquire() end)
    end
    pcall(function() P[1].release(P[1], math.mininteger, 0.002) end)
  end, 1, false) end)
end
local function W5(...)
  pcall(function() P[3]:is_set() end)
  do
    local ok, e = pcall(function() return P[1]:value() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  pcall(function() ts.Semaphore(0):release() end); collectgarbage()
  do
    local ok, e = pcall(function() return F[6]:cancel() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  setmetatable({}, {__gc = function() ts.sleep(0.001) end})
  collectgarbage()
  ts.sleep(0.002)
  pcall(function() ts.Thread{target = print}:join() end)
end
T[1] = ts.Thread{target = W1, args = {error, false}, name = "w1"}
T[1]:start()
T[2] = ts.Thread{target = W2, args = {3.5}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.Thread{target = W3, args = {}, name = "w3"}
T[3]:start()
T[4] = ts.Thread{target = W4, args = {}, name = "w4"}
T[4]:start()
T[5] = ts.Thread{target = W5, args = {"", math.huge}, name = "w5"}
T[5]:start()
pcall(function() P[2]:with(function() return P[2]:wait_for(function() return "RuntimeError" end, 0.02) end) end)
pcall(function() P[1]:release(2) end)
pcall(function() P[2]:with(H and print) end)
for _ = 1, 9 do G.n = G.n + 1 end
local r = P[1]:with(function(...)
  pcall(ts.sleep, nil)
end, true, math.huge)
for _ = 1, 6 do G.n = G.n + 1 end
pcall(T[1].join, T[1], 0.02)
pcall(T[3].join, T[3], 0.02)
pcall(T[4].join, T[4])
ts.outcome(G.n % 5, G.flag)
