-- yields.lua: threads that wait for their turn with ts.yield() and
-- ts.sleep(0), from plain Lua, from inside pcall and from a coroutine of
-- their own (which must not be the one that yields), and record the order
-- of the turns: the same with and without carrying (tests/carry.sh).
local ts = require "tsbox"

local turn, order = 1, {}
local N = 4

local function wait_for(me, how)
  while turn ~= me do
    if how == 1 then ts.yield()
    elseif how == 2 then ts.sleep(0)
    elseif how == 3 then assert(pcall(ts.yield))
    else
      local co = coroutine.wrap(function() ts.yield() return "inner" end)
      assert(co() == "inner")
    end
  end
end

local threads = {}
for me = 1, N do
  threads[me] = ts.spawn(function()
    for round = 1, 30 do
      wait_for(me, (me + round) % 4 + 1)
      order[#order + 1] = me
      turn = me % N + 1
    end
  end)
end
for _, t in ipairs(threads) do t:join() end
print(table.concat(order, " ", 1, 12), #order)
