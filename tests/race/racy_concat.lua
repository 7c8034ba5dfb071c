-- expect: race index 2 of parts
-- table.concat reads every element it joins: a thread joining the parts
-- while another replaces one races, even with no instruction of its own.
local ts = require "tsbox"
local parts = { "a", "b", "c" }
local function render() return table.concat(parts, ",") end
local out
local reader = ts.spawn(function() out = render() end)
local writer = ts.spawn(function() parts[2] = "B" end)
reader:join(); writer:join()
ts.check(out == "a,b,c", "the join saw the part replaced meanwhile: " .. out)
