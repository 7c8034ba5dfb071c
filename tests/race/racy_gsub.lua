-- expect: race field "name" of vars
-- string.gsub with a table looks up the first capture of each match:
-- filling a template while another thread changes a variable races.
local ts = require "tsbox"
local vars = { name = "ann", place = "home" }
local out
local reader = ts.spawn(function() out = ("$name at $place"):gsub("%$(%w+)", vars) end)
local writer = ts.spawn(function() vars.name = "bob" end)
reader:join(); writer:join()
ts.check(out == "ann at home", "the template saw the variable changed meanwhile: " .. out)
