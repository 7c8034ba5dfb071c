-- errors.lua: threads that fail after being preempted many times, at
-- various depths: an error in plain Lua code, one inside a metamethod
-- (a C boundary), a C stack overflow through nested pcalls, a Lua stack
-- overflow, and an error in a to-be-closed variable's __close. Reports,
-- tracebacks and the depths reached must not depend on how the switches
-- were made (tests/carry.sh).
local ts = require "tsbox"

local function spin(n) local x = 0 for i = 1, n do x = x + i end return x end

local function level3(k) spin(300) if k > 2 then error("plain failure " .. k) end return k end
local function level2(k) return level3(k + 1) + 1 end
local function level1(k) return level2(k + 1) + 1 end

local meta = setmetatable({}, { __index = function(_, key) spin(200) error("inside __index: " .. key) end })

local depth = 0
local function nest() depth = depth + 1 spin(3) local ok = pcall(nest) return ok end

local function lua_deep(n) spin(1) return 1 + lua_deep(n + 1) end

local threads = {
  ts.spawn(function() return level1(1) end),
  ts.spawn(function() spin(500) return meta.missing end),
  ts.spawn(function() nest() print("pcall nesting reached", depth) end),
  ts.spawn(function() print("lua overflow", pcall(lua_deep, 1)) end),
  ts.spawn(function()
    local _ <close> = setmetatable({}, { __close = function() spin(100) error("in __close") end })
    spin(400)
  end),
}
for _, t in ipairs(threads) do t:join() end
print("done")
