-- addresses.lua: busy threads that allocate, collect and print what
-- depends on the universe's addresses (tostring of tables, the order of
-- pairs over table keys) and on the schedule. tests/carry.sh runs it
-- with and without carrying and under observers: every byte must match.
local ts = require "tsbox"

local T = math.tointeger(tonumber(arg[1])) or 6
local shared = {}
local log = {}
local sums = {}

local function churn(id)
  local keep = {}
  for i = 1, 300 do
    local t = { id = id, i = i, s = ("x"):rep(i % 40) }
    keep[i % 17 + 1] = t
    shared[t] = i
    if i % 50 == 0 then collectgarbage("step", 10) end
    if i % 97 == 0 then shared = setmetatable({}, { __mode = "k" }) end
  end
  local n = 0
  for k in pairs(shared) do n = n + (k.i or 0) end
  log[#log + 1] = ("%d:%d:%s"):format(id, n, tostring(keep[1]))
  sums[id] = n
end

local threads = {}
for id = 1, T do threads[id] = ts.spawn(churn, id) end
local sum = 0
for id = 1, T do threads[id]:join(); sum = sum + sums[id] end
for _, line in ipairs(log) do print(line) end
print("sum", sum, tostring({}))
