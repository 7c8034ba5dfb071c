-- fuzz regression case (fuzz/run.sh), seed 750: lua5.4 fuzz/gen.lua 750
-- command: tsbox-asan --seed 750 --sched SCHED --max-steps 2000000 --timeout 10 --max-memory 256M 750.lua
-- failed: --sched random: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- failed: --sched os: sanitizer report (exit status 1): src/sched.c:430:24: runtime error: -nan is outside the range of representable values of type 'long'
-- stderr of the first failing run: 750.err
-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua 750
-- luacheck: ignore
local ts = require "tsbox"
local OS = ts.sched() == "os"
-- long sleeps and timeouts shrink under --sched os (real time)
local function TO(x) if OS and type(x) == "number" and x > 0.05 then return 0.02 end return x end
local G = {n = 0, flag = false, log = {}}
local P, T, F, CO = {}, {}, {}, {}
local function H(k)
  if k == 1 then return setmetatable({}, {__tostring = function() error('tostring boom') end})
  elseif k == 2 then return setmetatable({}, {__tostring = function() return {} end})
  elseif k == 3 then return setmetatable({}, {__index = function() error('index boom') end})
  elseif k == 4 then return setmetatable({kind = 'RuntimeError'}, {__tostring = function() coroutine.yield() end})
  elseif k == 5 then return {kind = {}, message = 42, traceback = false}
  elseif k == 6 then return setmetatable({}, {__name = 42, __metatable = false})
  elseif k == 7 then return setmetatable({}, {__gc = function() error('gc boom') end})
  elseif k == 8 then return string.rep('E', 100000)
  elseif k == 9 then return setmetatable({}, {__call = function() return 1 end, __name = 'tsbox.Lock'})
  elseif k == 10 then return setmetatable({}, {__len = function() error('len boom') end, __pairs = function() error('pairs boom') end, __index = function() ts.sleep(0.001) end})
  elseif k == 11 then return setmetatable({kind = 'ValueError', message = setmetatable({}, {__tostring = function() error('msg boom') end})}, {__concat = function() error('concat boom') end})
  else return coroutine.create(print) end
end
P[2] = ts.Barrier(4, nil, TO(1), "barrier-2")
P[4] = ts.Lock("lock-4")
if ts.Queue then
  P[1] = ts.Timer(0.005, function() G.n = G.n + 1 end)
  P[3] = ts.Timer(0.001, function() G.n = G.n + 1 end)
else
  P[1] = ts.Event()   -- no toolbox: calls fail with Lua errors
  P[3] = ts.Event()   -- no toolbox: calls fail with Lua errors
end
local function W1(...)
  pcall(function() local x = ts.BoundedSemaphore(0/0, {kind = 'RuntimeError', message = 'fake'}, -0.0); G.last = tostring(x) end)
  ts.sleep(0.05)
  pcall(function() P[1].join(P[4]) end)
  ts.check(nil ~= false, 'check 227')
end
local function W2(...)
  for _ = 1, 41 do G.n = G.n + 1 end
  P[3].join('x', P[2], 0.005)
  pcall(function() T[2]:join(0.01) end)
  pcall(function()
    do
      local _ <close> = P[4]:hold()
      if CO[3] then pcall(coroutine.close, CO[3]) end
      pcall(function() ts.current_thread():join(TO(1)) end)
      P[4]:release()
    end
  end)
  pcall(function() local r = P[4]:with(function(...)
    pcall(P[4].release, P[4], -1)
    P[2].reset(P[3], nil, -math.huge)
  end, ts.main_thread(), G) end)
  pcall(function() P[1]:cancel() end)
  for _ = 1, 3 do
    ts.sleep(0.02)
    do
      local _ <close> = P[4]:hold()
      if not pcall(function() P[4]:acquire() end) then ts.yield() end
      pcall(function() P[1]:start() end)
      pcall(function() local _ = F[6]:add_done_callback(error) end)
    end
    pcall(function() local _ = P[4]:release() end)
  end
  pcall(function() local r = P[4]:with(function(...)
    if CO[3] then pcall(coroutine.close, CO[3]) end
    P[1].start()
    pcall(function()
      do
        local _ <close> = P[4]:hold()
        pcall(string.rep, 'ab', 1e10, ',')
        pcall(function() P[4]:locked() end)
        do
          local ok, e = pcall(function() return T[1]:start() end)
          if not ok then
            local s = select(2, pcall(tostring, e))
            G.log[#G.log % 8 + 1] = s
            if type(e) == 'table' then G.kind = rawget(e, 'kind') end
          end
        end
        do
          local _ <close> = P[4]:hold()
          pcall(coroutine.wrap(function() ts.spawn(coroutine.yield):join(0.01) end))
        end
      end
    end)
    return ...
  end, nil, -1) end)
  P[3]:start()
  local _ = ts.time()
  if not pcall(function() P[3]:is_alive(1, coroutine.yield, G) end) then ts.yield() end
  error(H(3), 0)
end
local function W3(...)
  pcall(function() P[1]:join(0/0) end)
  ts.yield(1, 2)
  P[2]:reset()
  pcall(P[4].release, P[4], 2)
  pcall(function() P[3]:is_alive() end)
end
T[1] = ts.spawn(W1, coroutine.yield)
T[2] = ts.Thread{target = W2, args = {}, name = "w2", daemon = true}
T[2]:start()
T[3] = ts.spawn(W3, false, coroutine.create(print))
for _, p in ipairs(P) do G.last = tostring(p) end
pcall(function()
  local t = {}
  for i = 1, 100000 do t[i] = {i} end
  G.big = t
end)
do
  local ok, e = pcall(function() return P[2]:wait(TO(30)) end)
  if not ok then
    local s = select(2, pcall(tostring, e))
    G.log[#G.log % 8 + 1] = s
    if type(e) == 'table' then G.kind = rawget(e, 'kind') end
  end
end
pcall(function() local _ = P[3]:is_alive() end)
if not pcall(function() P[2]:abort() end) then ts.yield() end
pcall(P[4].release, P[4])
collectgarbage('generational')
pcall(function() ts.current_thread():join(0.0) end)
pcall(function() for _ = 1, 12 do ts.spawn(function() G.n = G.n + 1 end) end end)
