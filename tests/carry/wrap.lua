-- wrap.lua: threads that pull values from coroutine.wrap generators, so
-- that preemptions fall in coroutines of their own as often as in their
-- bodies (a coroutine counts its instructions to the next preemption
-- apart from its thread). The order of the results is the schedule's:
-- --race and --timeline must print what a plain run prints
-- (tests/carry.sh), whichever gaps the seed draws (1 included).
local ts = require "tsbox"

local out = {}
local function worker(id)
  local total = 0
  for _ = 1, 30 do
    local gen = coroutine.wrap(function()
      for i = 1, 10 do coroutine.yield(i) end
    end)
    for _ = 1, 10 do total = total + gen() end
    local x = 0
    for i = 1, 5 do x = x + i end
  end
  out[#out + 1] = id .. " " .. total
end

local a, b, c = ts.spawn(worker, 1), ts.spawn(worker, 2), ts.spawn(worker, 3)
a:join() b:join() c:join()
print(table.concat(out, ", "))
