-- expect: race length of log
-- rawlen reads the length as #t does: counting a log while another thread
-- appends to it races.
local ts = require "tsbox"
local log = {}
local n
local reader = ts.spawn(function() n = rawlen(log) end)
local writer = ts.spawn(function() log[#log + 1] = "entry" end)
reader:join(); writer:join()
ts.check(n == 0, "the count saw the entry appended meanwhile: " .. n)
