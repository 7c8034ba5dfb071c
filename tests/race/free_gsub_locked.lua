-- expect: silent
-- The same template under one lock, and a variable the template does not
-- use changed outside it: only the keys gsub looks up count.
local ts = require "tsbox"
local vars = { name = "ann", place = "home", unused = 0 }
local lock = ts.Lock("vars")
local out
local reader = ts.spawn(function()
  lock:with(function() out = ("$name at $place"):gsub("%$(%w+)", vars) end)
end)
local writer = ts.spawn(function()
  lock:with(function() vars.name = "bob" end)
  vars.unused = 1
end)
reader:join(); writer:join()
ts.check(out == "ann at home" or out == "bob at home", "the template gave " .. out)
