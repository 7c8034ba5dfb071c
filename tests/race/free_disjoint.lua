-- expect: silent
-- Disjoint slots, read-only sharing, thread_local and call-local data.
local ts = require "tsbox"
local prices = { apple = 3, pear = 5 }          -- only read by the threads
local slots = { 0, 0, 0, 0 }                    -- each thread its own slot
local fresh = {}                                -- filled in, slot by slot
local tl = ts.thread_local()
local threads = {}
for i = 1, 4 do
  threads[i] = ts.spawn(function()
    local scratch = {}                          -- private to this call
    for k = 1, 3 do scratch[k] = prices.apple * k end
    tl.count = (tl.count or 0) + 1
    slots[i] = scratch[3] + prices.pear
    fresh[i] = i
    tl.count = tl.count + 1
  end)
end
for i = 1, 4 do threads[i]:join() end
print(slots[1], #fresh)
