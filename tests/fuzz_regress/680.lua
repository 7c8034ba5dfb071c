-- fuzz regression case (fuzz/run.sh), seed 680: lua5.4 fuzz/gen.lua 680
-- command: tsbox-asan --seed 680 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 680.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 680.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 680
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
P[1] = ts.Condition(ts.Lock())
P[2] = ts.Condition(nil, "condition-2")
P[3] = ts.RLock("rlock-3")
P[4] = ts.Condition(ts.RLock(), "conditionl-4")
P[5] = ts.BoundedSemaphore(0, "boundedsemaphore-5")
P[6] = ts.Condition(P[3])
P[7] = ts.Barrier(3, nil, nil)
P[8] = ts.Barrier{parties = 3, action = nil, timeout = nil}
P[9] = ts.Condition(P[3], "conditionl-9")
local function W1(...)
  for _ = 1, 1 do
    local r = P[2]:with(function(...)
      pcall(function() T[1]:join(0.002) end)
      pcall(function() P[3]:acquire(true, 0.0) end)
      pcall(function() local r = P[5]:with(function(...)
        pcall(function() local s = string.rep('x', 10); G.len = #s end)
        pcall(coroutine.wrap(P[8].reset), P[8])
      end, "err") end)
      pcall(function() local _ = T[2]:is_alive(), T[2].ident, T[2].name, T[2].result, T[2].error, T[2].daemon end)
      return ...
    end)
    pcall(function()
      do
        local _ <close> = P[9]:hold()
        pcall(coroutine.wrap(function() load(function() coroutine.yield() end) end))
        do
          local ok, e = pcall(function() return F[1]:running() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
      end
    end)
  end
  pcall(coroutine.yield, 1)
  ts.yield(1, 2)
  pcall(function() P[1]:notify_all() end)
  pcall(function() P[3].locked() end)
  pcall(function()
    do
      local _ <close> = P[2]:hold()
      for _ = 1, 4 do
        pcall(function()
          do
            local _ <close> = P[2]:hold()
            pcall(P[2].with, P[2], function()
              G.flag = false
              P[2]:notify(1)
            end)
            do
              local ok, e = pcall(function() return P[1]:notify_all() end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
            pcall(P[1].notify_all, P[1])
          end
        end)
        local _ = F[4]:result(0.002, "x", P[4], {})
        pcall(function() local r = P[2]:with(function(...)
          pcall(function()
            local t = {}
            for i = 1, 100 do t[i] = {i} end
            G.big = nil
          end)
          local r = P[1]:with(function(...)
            pcall(function() P[1].wait(P[9], nil, 0.01) end)
            do
              local ok, e = pcall(function() return P[9]:release() end)
              if not ok then
                local s = select(2, pcall(tostring, e))
                G.log[#G.log % 8 + 1] = s
                if type(e) == 'table' then G.kind = rawget(e, 'kind') end
              end
            end
            collectgarbage()
            if not pcall(function() local _ = F[5]:cancel() end) then ts.yield() end
          end, ts.main_thread())
          return ...
        end) end)
      end
      for _ = 1, 4 do
        pcall(function() local p = ts.ThreadPool(2); p:shutdown(); p:submit(print) end)
        ts.check(nil ~= false, 'check 169')
        local _ = P[8].parties, P[8].n_waiting, P[8].broken, P[8].nope
      end
    end
  end)
  pcall(P[4].with, P[4], function()
    local tries = 0
    while not G.flag and tries < 3 do
      tries = tries + 1
      local _ = P[4]:wait(0.01)
    end
  end)
  P[4]:acquire(false, TO(1))
  pcall(coroutine.wrap(P[8].reset), P[8])
  pcall(function() P[7]:abort() end)
  error("")
  pcall(function()
    do
      local _ <close> = P[6]:hold()
      pcall(function()
        do
          local _ <close> = P[3]:hold()
          P[5]:value()
        end
      end)
    end
  end)
end
local function W2(...)
  pcall(function() P[8]:abort() end)
  pcall(function() local q = ts.Queue(1); q:put(1, false); q:put(2, false) end)
  do
    local co = coroutine.wrap(function(...)
      pcall(P[3].release, P[3])
      local _ = ts.seed(), ts.sched()
      pcall(function() P[2]:wait(0.005) end)
    end)
    pcall(co)
    pcall(co)
  end
  pcall(function() local x = ts.Condition({parties = "", name = "a"}); G.last = tostring(x) end)
  pcall(function() P[8]:abort() end)
  pcall(P[4].release, P[4])
  do
    local _ <close> = P[4]:hold()
    do
      local co = coroutine.wrap(function(...)
        do
          local ok, e = pcall(function() return P[2]:wait(0.005) end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        pcall(function() local r = P[3]:with(function(...)
          error("x")
          pcall(function() P[2]:with(function() return P[2]:wait_for(function() return G.n > 10 end, 0.005) end) end)
          pcall(function() P[9].wait(P[1]) end)
        end, ts.main_thread()) end)
      end)
      pcall(co)
      pcall(co)
    end
    do
      local ok, e = pcall(function() return P[6]:release() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    do
      local ok, e = pcall(function() return F[1]:done() end)
      if not ok then
        local s = select(2, pcall(tostring, e))
        G.log[#G.log % 8 + 1] = s
        if type(e) == 'table' then G.kind = rawget(e, 'kind') end
      end
    end
    pcall(ts.spawn, {})
  end
  local r = P[5]:with(function(...)
    pcall(function() P[4].acquire(P[3]) end)
    pcall(function() P[1]:release() end)
    return ...
  end, {kind = 'ValueError'}, 3.5)
  do
    local ok, e = pcall(function() return P[9]:wait() end)
    if not ok then
      local s = select(2, pcall(tostring, e))
      G.log[#G.log % 8 + 1] = s
      if type(e) == 'table' then G.kind = rawget(e, 'kind') end
    end
  end
end
T[1] = ts.Thread{target = W1, args = {ts.BrokenBarrierError, math.huge}, name = "w1", daemon = true}
T[1]:start()
do
  local ok, e = pcall(function() return P[5]:acquire(true, -(0/0)) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
T[2] = ts.spawn(W2)
pcall(function() local _ = P[9]:acquire(true) end)
pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k .. 'x'] end return t.a end)
if CO.t1 then pcall(coroutine.close, CO.t1) end
do
  local ok, e = pcall(function() return F[3]:cancel() end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function()
  local t = ts.spawn(function(...)
    pcall(function() P[3]:release() end)
    ts.yield()
  end)
end)
ts.yield()
pcall(T[2].join, T[2])
print('done', G.n)
