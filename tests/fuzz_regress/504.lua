-- fuzz regression case (fuzz/run.sh), seed 504: lua5.4 fuzz/gen.lua 504
-- command: tsbox-asan --seed 504 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 504.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 504.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 504
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition()
P[2] = ts.Barrier(1, nil, nil, "barrier-2")
P[3] = ts.Event("event-3")
P[4] = ts.Condition()
P[5] = ts.Condition(ts.Lock(), "conditionl-5")
P[7] = ts.Condition(ts.RLock())
if ts.Queue then
  P[6] = ts.ThreadPool()
  P[8] = ts.Timer(0.002, function() G.n = G.n + 1 end)
else
  P[6] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[8] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  collectgarbage()
  for _ = 1, 21 do G.n = G.n + 1 end
  if G.n % 2 == 0 then error("x") end
  pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end G.s = table.concat(t) end)
  do local x <close> = setmetatable({}, {__close = function() collectgarbage() end}) end
  coroutine.yield(1)
  local r = P[1]:with(function(...)
    ts.sleep(0.02)
    pcall(P[4].notify, P[4])
    return ...
  end)
  if not pcall(function() P[2]:wait(0.001) end) then ts.yield() end
  error("")
  if not pcall(function() local _ = P[7]:release('not hostile') end) then ts.yield() end
  return -1, ...
end
local function W2(...)
  pcall(P[4].release, P[4])
  pcall(function() P[4].notify_all(P[6], "boom", TO(1)) end)
  pcall(function() P[4]:release() end)
  error("")
end
T[1] = ts.Thread{target = W1, args = {"x"}, name = "w1"}
T[1]:start()
pcall(function() P[7]:notify_all() end)
T[2] = ts.spawn(W2, ts.current_thread(), ts)
pcall(function() local x = ts.BoundedSemaphore(coroutine.running(), '%s%s%s%s%n'); G.last = tostring(x) end)
if not pcall(function() T[3]:start() end) then ts.yield() end
pcall(function()
  local t = {}
  for i = 1, 100000 do t[i] = {i} end
  G.big = nil
end)
pcall(function()
  local t = ts.spawn(function(...)
    pcall(function() local t = ts.Timer(-1, error); t:start(); t:join(0.002) end)
    ts.check(type(G) == 'table', 0/0)
    pcall(function()
      local t = ts.spawn(function(...)
        do
          local _ <close> = P[4]:hold()
          pcall(function() local r = P[7]:with(function(...)
            ts.sleep(0.001)
            return ...
          end, "err") end)
          do
            local ok, e = pcall(function() return P[2]:wait(0.005) end)
            if not ok then
              local s = select(2, pcall(tostring, e))
              G.log[#G.log % 8 + 1] = s
              if type(e) == 'table' then G.kind = rawget(e, 'kind') end
            end
          end
        end
        pcall(function() local _ = P[2]:wait(0.005) end)
        P[1]:wait()
      end)
      t:join(-(0/0), ts.BrokenBarrierError, "x", 0/0)
    end)
  end)
  t:join(math.mininteger)
end)
CO.main = coroutine.running()
pcall(ts.Thread, nil)
G.last = tostring(ts.current_thread())
ts.yield()
pcall(T[1].join, T[1])
ts.outcome(G.n % 5, G.flag)
