-- fuzz regression case (fuzz/run.sh), seed 985: lua5.4 fuzz/gen.lua 985
-- command: tsbox-asan --seed 985 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 985.lua
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 985.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 985
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[2] = ts.Condition(ts.Lock(), "conditionl-2")
P[3] = ts.Lock("lock-3")
if ts.Queue then
  P[1] = ts.ThreadPool(2)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  do
    local ok, e = pcall(function() return P[1]:shutdown(true, false) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  do
    local _ <close> = P[3]:hold()
    local r = P[2]:with(function(...)
      pcall(function() P[1]:shutdown(0, 0) end)
      pcall(function()
        do
          local _ <close> = P[3]:hold()
          do
            local ok, e = pcall(function() return P[2]:notify() end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
          ts.check(type(G) == 'table', 'check 495')
          pcall(coroutine.wrap(P[2].wait), P[2])
          if not pcall(function() local _ = F[5]:running() end) then ts.yield() end
        end
      end)
    end, true)
  end
  pcall(P[2].with, P[2], function()
    G.flag = not G.flag
    P[2]:notify(2^53)
  end)
  debug.sethook(function() G.hook = (G.hook or 0) + 1 end, '', 100)
  pcall(function() debug.sethook(coroutine.running(), nil) end)
  pcall(P[2].with, P[2], function()
    local tries = 0
    while not G.flag and tries < 1 do
      tries = tries + 1
      local _ = P[2]:wait('0.01')
    end
  end)
  for _ = 1, 1 do
    pcall(function() P[2]:wait(math.mininteger) end)
    ts.sleep(0.02)
    collectgarbage()
  end
  P[3].release()
end
local function W2(...)
  do
    local co = coroutine.wrap(function(...)
      pcall(P[3].release, P[3])
      pcall(ts.outcome, string.rep('v', 1000000), ts.BrokenBarrierError)
    end)
    pcall(co, string.rep('v', 100000))
  end
  pcall(function() local _ = P[1]:shutdown(false, 0) end)
  pcall(function()
    do
      local _ <close> = P[3]:hold()
      local r = P[2]:with(function(...)
        pcall(ts.sleep, -(0/0))
        pcall(function() local r = P[2]:with(function(...)
          pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
          local _ = ts.time()
          pcall(function() local _ = T[7]:is_alive(), T[7].ident, T[7].name, T[7].result, T[7].error, T[7].daemon end)
          pcall(coroutine.wrap(P[1].shutdown), P[1])
        end, true) end)
        pcall(P[2].release, P[2], 1)
        return ...
      end)
    end
  end)
  P[1]:shutdown(nil, 0)
  pcall(function() P[1]:shutdown('no', false) end)
end
local function W3(...)
  do
    local ok, e = pcall(function() return P[3]:release() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  ts.yield()
end
local function W4(...)
  ts.yield()
end
local function W5(...)
  ts.yield()
end
local function W6(...)
  ts.yield()
  return "RuntimeError", ...
end
local function W7(...)
  ts.yield()
  return "boom", ...
end
local function W8(...)
  ts.yield()
end
T[1] = ts.spawn(W1)
T[2] = ts.Thread{target = W2, args = {nil}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.spawn(W3, nil, 'not hostile')
T[4] = ts.spawn(W4, P[1], math.huge)
T[5] = ts.Thread{target = W5, args = {}, name = "w5"}
T[6] = ts.spawn(W6, nil, coroutine.running())
T[7] = ts.spawn(W7, "")
T[8] = ts.spawn(W8)
ts.yield()
pcall(T[3].join, T[3])
pcall(T[4].join, T[4], TO(1))
T[5]:join(0.005)
T[6]:join(0.02)
T[7]:join(0.005)
pcall(T[8].join, T[8], TO(1))
ts.outcome(G.n % 5, G.flag)
