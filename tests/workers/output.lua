-- output.lua: what a run says, in the ways a worker could get wrong: many
-- outcomes (the last counts), megabytes of stdout without an outcome (the
-- label is a digest of it all), output left without a newline, warnings,
-- os.exit with close = true running finalizers and __close handlers,
-- math.randomseed without a seed, the virtual clocks.
local ts = require "tsbox"

local pick = math.random(1, 9)
print("start", pick, tostring({}))
_G.keep = setmetatable({}, { __gc = function() print("finalized") end })
if pick == 1 then
  for i = 1, 50 do ts.outcome("outcome", i) end
elseif pick == 2 then
  io.write(string.rep("x", 2 * 1024 * 1024 + math.random(1, 3)), "\n")
elseif pick == 3 then
  io.write("no newline")
  error("fails after a partial line")
elseif pick == 4 then
  warn("@on"); warn("a warning ", tostring(pick))
elseif pick == 5 then
  do local _ <close> = setmetatable({}, { __close = function() print("closed") end }) end
  os.exit(true, true)
elseif pick == 6 then
  local ev = ts.Event()
  ts.Thread{ target = function() ev:wait() end, daemon = true }:start()
  ts.spawn(function() ts.yield(); os.exit(0, true) end)
  ev:wait()
elseif pick == 7 then
  math.randomseed()
  ts.outcome("reseeded", math.random(1, 1 << 30))
elseif pick == 8 then
  ts.spawn(function() ts.sleep(3) end):join()
  ts.outcome("clocks", os.clock(), os.time(), ts.time())
end
print("end", pick, tostring({}))
