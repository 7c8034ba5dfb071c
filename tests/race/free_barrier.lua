-- expect: silent
-- Phases separated by a Barrier: each writes its slot, then all read all;
-- the barrier's action runs after every arrival and before every departure.
local ts = require "tsbox"
local N = 3
local phase = { n = 0 }
local barrier = ts.Barrier(N, function() phase.n = phase.n + 1 end)
local slots = { 0, 0, 0 }
local sums = { 0, 0, 0 }
local threads = {}
for i = 1, N do
  threads[i] = ts.spawn(function()
    slots[i] = i * 10
    barrier:wait()
    sums[i] = slots[1] + slots[2] + slots[3] + phase.n
    barrier:wait()
    slots[i] = phase.n
  end)
end
for i = 1, N do threads[i]:join() end
print(sums[1], sums[2], sums[3])
