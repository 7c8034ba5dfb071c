-- fuzz regression case (fuzz/run.sh), seed 551: lua5.4 fuzz/gen.lua 551
-- command: tsbox-asan --seed 551 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 551.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 551.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 551
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.BoundedSemaphore{value = 1}
P[2] = ts.Barrier(4, nil, 0.01)
P[3] = ts.BoundedSemaphore(1)
local function W1(...)
  pcall(function() P[2].broken = math.mininteger end)
  pcall(function() local _ = P[2]:wait(0.005) end)
  ts.sleep(0.005)
  pcall(function() local _ = P[2]:wait(TO(1)) end)
  pcall(function() local s = string.rep('x', 100000000); G.len = #s end)
  pcall(function() local _ = F[6]:add_done_callback(42) end)
  if not pcall(function() P[3]:acquire(print, 0.02) end) then ts.yield() end
end
local function W2(...)
  G.n = G.n + 1
  pcall(function() local r = P[3]:with(function(...)
    pcall(function() local t = ts.Timer(0/0, ts.yield); t:start(); t:cancel(); t:join(0.01) end)
    return ...
  end) end)
  pcall(coroutine.wrap(function() ts.spawn(coroutine.yield):join(0.01) end))
  pcall(function() P[3].release(print) end)
  pcall(P[3].release, P[3])
  ts.sleep(0.02)
  if not pcall(function() local _ = P[3]:acquire() end) then ts.yield() end
  P[1]:release()
  pcall(function() local r = P[1]:with(function(...)
    for _ = 1, 4 do
      local _ = ts.time()
      if not pcall(function() P[3]:release(1) end) then ts.yield() end
      pcall(function()
        do
          local _ <close> = P[1]:hold()
          do
            local co = coroutine.wrap(function(...)
              ts.check(true)
              pcall(function() P[1].acquire() end)
            end)
            pcall(co, true)
            pcall(co)
          end
          ts.yield()
        end
      end)
    end
    CO[3] = coroutine.create(function()
      local _ <close> = P[3]:hold()
      coroutine.yield(1)
      G.n = G.n + 1
    end)
    pcall(coroutine.resume, CO[3])
    pcall(function() P[3].acquire(P[2]) end)
    pcall(function() P[2].abort(1) end)
  end, true, false) end)
  do
    local ok, e = pcall(function() return P[1]:release(1e9) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  local r = P[3]:with(function(...)
    ts.yield()
  end)
end
local function W3(...)
  ts.yield()
end
local function W4(...)
  ts.yield()
  return P[2], ...
end
local function W5(...)
  ts.yield()
  return "RuntimeError", ...
end
T[1] = ts.Thread{target = W1, args = {""}, name = "w1", daemon = true}
T[1]:start()
T[2] = ts.spawn(W2, 'not hostile')
T[3] = ts.spawn(W3)
ts.yield()
T[4] = ts.Thread{target = W4, args = {"err"}, name = "w4", daemon = true}
T[4]:start()
T[5] = ts.Thread{target = W5, args = {}, name = "w5", daemon = true}
T[5]:start()
ts.yield()
pcall(T[2].join, T[2])
pcall(T[3].join, T[3])
ts.outcome(G.n % 5, G.flag)
