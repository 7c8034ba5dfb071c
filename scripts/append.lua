-- append.lua: Python's list.append is atomic; Lua's t[#t + 1] = v is not.
--
-- Four threads each append 50 items to one shared table. In Python,
-- `items.append(x)` from many threads never loses an item (one bytecode,
-- under the GIL). The Lua translation `items[#items + 1] = x` is a read of
-- the length and then a store: two threads can read the same length and
-- write the same slot, and one item is lost. table.insert(items, x) does
-- the same read and write inside one C call, which tsbox never preempts,
-- so it does not lose items here.
--
--   tsbox --runs 200 scripts/append.lua            -- t[#t + 1] = v
--   tsbox --runs 200 scripts/append.lua insert     -- table.insert
--   tsbox --runs 200 scripts/append.lua locked     -- t[#t + 1] = v under a Lock
local ts = require "tsbox"

local how = arg[1] or "index"
local THREADS, EACH = 4, 50
local items = ts.shared({}, "items")
local lock = ts.Lock("items")

local append = {
  index = function(v) items[#items + 1] = v end,
  insert = function(v) table.insert(items, v) end,
  locked = function(v) lock:with(function() items[#items + 1] = v end) end,
}
local add = assert(append[how], "usage: append.lua [index|insert|locked]")

local threads = {}
for i = 1, THREADS do
  threads[i] = ts.spawn(function()
    for k = 1, EACH do add(i * 1000 + k) end
  end)
end
for _, t in ipairs(threads) do t:join() end
local lost = THREADS * EACH - #items
print(("%s: %d items, %d lost"):format(how, #items, lost))
ts.outcome(lost == 0 and "none lost" or "items lost")
