-- shrink.lua: threads whose Lua stacks grew deep and came back, then are
-- preempted in plain Lua while the others collect: the collector moves a
-- waiting thread's stack when it shrinks it (whatever a suspended thread
-- keeps of its stack must survive that), to a size computed from what it
-- sees in use (a preempted thread must show the same frames whichever way
-- the switch was made: tests/carry.sh compares the outputs).
local ts = require "tsbox"

local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end

local out = {}
local function worker(id)
  local got = deep(500 + id * 37)
  local x, keep = 0, {}
  for i = 1, 3000 do
    x = (x + i * id) % 1000003
    if i % 8 == 0 then keep[i % 13 + 1] = { i } end
    if i % 300 == 0 then collectgarbage() end
  end
  out[id] = ("%d %d %d %s"):format(id, got, x, tostring(keep[1]))
end

local function collector()
  local keep
  for i = 1, 200 do
    keep = { i, tostring(i) }
    if i % 10 == 0 then collectgarbage() end
  end
  out[0] = tostring(keep)
end

local threads = { ts.spawn(collector) }
for id = 1, 5 do threads[#threads + 1] = ts.spawn(worker, id) end
for _, t in ipairs(threads) do t:join() end
for id = 0, 5 do print(out[id]) end
print(tostring({}))
