-- expect: race length of log
-- `t[#t+1] = x` from two threads: both read #log, both extend it.
local ts = require "tsbox"
local log = {}
local function note(x) log[#log + 1] = x end
local a, b = ts.spawn(note, "a"), ts.spawn(note, "b")
a:join(); b:join()
print(#log)
