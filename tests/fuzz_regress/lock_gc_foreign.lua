-- fuzz regression: lock_gc() (src/lock.c:28) trusts lua_touserdata(L, 1).
-- The Lock metatable is reachable with getmetatable(), so any table given it
-- gets lock_gc as finalizer: NULL dereference (SIGSEGV in the release build).
-- Called by hand on another userdata it unlinks garbage: heap-buffer-overflow
-- read and write (ASan, lock.c:30) — memory corruption from plain Lua, no
-- debug library needed.
--   ./tsbox --seed 1 tests/fuzz_regress/lock_gc_foreign.lua        -> SIGSEGV
-- Expected: no crash (check the type in __gc, and/or set __metatable so that
-- getmetatable() does not expose tsbox's metatables). Exit 0.
local ts = require "tsbox"
local mt = getmetatable(ts.Lock())
setmetatable({}, mt)
collectgarbage()
collectgarbage()
print(pcall(mt.__gc, ts.Event()))
print(pcall(mt.__gc, 1))
print(pcall(mt.__gc, ts.Lock()))
print("done")
