-- fuzz regression: report_uncaught() (src/thread.c:90) calls luaL_tolstring()
-- on an uncaught error value outside any protected call. A __tostring that
-- raises, returns a non-string or yields raises an unprotected error: in the
-- main chunk Lua abort()s (exit 134, no message at all, stdout may be lost);
-- in a spawned thread luaD_throw re-throws into the *main* thread's jmp_buf
-- from another pthread: "*** longjmp causes uninitialized stack frame ***",
-- SIGABRT (without fortify: a longjmp onto another thread's stack).
--   ./tsbox --seed 1 tests/fuzz_regress/uncaught_tostring.lua            (thread)
--   ./tsbox --seed 1 -e 'error(setmetatable({}, {__tostring = function() error("x") end}))'
-- Expected: "Exception in thread Thread-1:" with a fallback text such as
-- "(error object is a table value)", exit 1.
local ts = require "tsbox"
local bad = {
  setmetatable({}, {__tostring = function() error("tostring fails") end}),
  setmetatable({}, {__tostring = function() return {} end}),
  setmetatable({}, {__tostring = function() coroutine.yield() end}),
}
for _, v in ipairs(bad) do
  local t = ts.spawn(function() error(v) end)
  t:join()
end
print("main done")
error(bad[1])
