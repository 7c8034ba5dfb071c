-- fuzz regression case (fuzz/run.sh), seed 139: lua5.4 fuzz/gen.lua 139
-- command: tsbox-asan --seed 139 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 139.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 139.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 139
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Lock("lock-1")
P[2] = ts.Lock{name = "p2"}
P[4] = ts.Condition()
if ts.Queue then
  P[3] = ts.Timer(0.005, function() G.n = G.n + 1 end)
else
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(ts.sleep, 0.02)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      pcall(function() local q = ts.Queue(3); q:put(1, false); q:put(2, false) end)
      for _ = 1, 1 do
        pcall(function() P[3].start(nil, string.rep('v', 1000), -2) end)
        collectgarbage()
        do
          local ok, e = pcall(function() return P[4]:release() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
      end
      pcall(function() local r = P[1]:with(function(...)
        local r = P[2]:with(function(...)
          pcall(ts.sleep, 0/0)
          do
            local co = coroutine.wrap(function(...)
              error(math.mininteger)
              do
                local ok, e = pcall(function() return P[4]:notify_all() end)
                if not ok then
                  local s = select(2, pcall(tostring, e))
                  G.log[#G.log % 8 + 1] = s
                  if type(e) == 'table' then G.kind = rawget(e, 'kind') end
                end
              end
            end)
            pcall(co)
          end
          return ...
        end, "boom", "err")
        do
          local ok, e = pcall(function() return P[1]:acquire() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() P[2]:release() end)
      end, ts) end)
      if CO[3] then pcall(coroutine.resume, CO[3]) end
    end
  end)
  pcall(function() P[1].acquire(P[2], -1) end)
  pcall(function() local x = ts.Semaphore(0, {kind = 'ValueError'}, nil, "tellers"); G.last = tostring(x) end)
  do
    local ok, e = pcall(function() return P[1]:acquire(true, TO(30)) end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
  error({})
  for _, p in ipairs(P) do G.last = tostring(p) end
  ts.outcome(false)
  return 1e308, ...
end
local function W2(...)
  pcall(P[4].with, P[4], function()
    G.flag = false
    P[4]:notify_all()
  end)
  pcall(function() local _ = T[5]:is_alive(), T[5].ident, T[5].name, T[5].result, T[5].error, T[5].daemon end)
  return true, ...
end
local function W3(...)
  error("boom in critical section", -1)
  pcall(function() local r = P[2]:with(function(...)
    local _ = ts.time()
    pcall(function() local r = P[2]:with(function(...)
      do local x = ts.RLock(3, "x", 0.0, "tellers"); G.last = tostring(x) end
      pcall(coroutine.yield, 1)
    end, false, nil) end)
    pcall(function() P[4]:wait() end)
    pcall(function() P[2]:locked() end)
  end, ts, "err") end)
  pcall(P[4].release, P[4])
  pcall(function() P[4]:with(function() return P[4]:wait_for(function() G.n = G.n + 1; return G.n % 3 == 0 end, 0.001) end) end)
end
local function W4(...)
  if CO[2] then pcall(coroutine.resume, CO[2]) end
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      do
        local ok, e = pcall(function() return P[1]:release() end)
        if not ok then
          local s = select(2, pcall(tostring, e))
          G.log[#G.log % 8 + 1] = s
          if type(e) == 'table' then G.kind = rawget(e, 'kind') end
        end
      end
    end
  end)
  P[4]:wait()
  CO[3] = coroutine.create(function()
    local _ <close> = P[4]:hold()
    coroutine.yield(1)
    G.n = G.n + 1
  end)
end
local function W5(...)
  pcall(function() P[3]:join(TO(1e18)) end)
  local _ = #ts.enumerate()
  pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)
  if not pcall(function() P[1]:release("", P[4]) end) then ts.yield() end
end
T[1] = ts.spawn(W1)
T[2] = ts.spawn(W2, "x")
T[3] = ts.Thread{target = W3, args = {}, name = "w3", daemon = true}
T[3]:start()
T[4] = ts.spawn(W4, 1e308, {ts.yield, k = "err"})
pcall(function() P[2]:release() end)
T[5] = ts.Thread{target = W5, args = {0}, name = "w5"}
T[5]:start()
G.n = G.n + 1
pcall(function() local function f() return coroutine.wrap(f)() end return f() end)
do
  local ok, e = pcall(function() return P[2]:locked() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
ts.check()
pcall(P[4].release, P[4])
pcall(function() ts.Lock():acquire() end); collectgarbage()
pcall(T[1].join, T[1], TO(1))
pcall(T[2].join, T[2])
pcall(T[4].join, T[4])
pcall(T[5].join, T[5])
