-- expect: race field "n" of t
-- rawget and rawset read and write a shared field with no instruction of
-- their own: they still count as accesses.
local ts = require "tsbox"
local t = {n = 0}
local function w() local v = rawget(t, "n"); rawset(t, "n", v + 1) end
local a, b = ts.spawn(w), ts.spawn(w)
a:join(); b:join()
ts.check(t.n == 2, "n=" .. t.n)
