-- table_lib.lua: a loop of table library calls on one thread's own tables,
-- N rounds (default 2000) of table.concat, table.sort, table.unpack,
-- table.move and ipairs over 200 elements. It shares nothing; --race still
-- records every element these functions read or write, so the ratio of
-- `tsbox --race` to `tsbox` is the cost of tracking them.
--
-- usage: lua5.4 bench/table_lib.lua [N]    tsbox [flags] bench/table_lib.lua [N]
local N = math.tointeger(tonumber(arg and arg[1])) or 2000
local M = 200

local words, nums = {}, {}
for i = 1, M do
  words[i] = string.format("w%03d", (i * 37) % M)
  nums[i] = (i * 7919) % 1009
end
local total, len = 0, 0
for _ = 1, N do
  local w = table.move(words, 1, M, 1, {})
  table.sort(w)
  len = len + #table.concat(w, ",")
  local n = table.move(nums, 1, M, 1, {})
  table.sort(n)
  total = total + select("#", table.unpack(n))
  for _, v in ipairs(n) do total = total + v end
end
print(string.format("rounds=%d len=%d total=%d", N, len, total))
