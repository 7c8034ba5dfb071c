-- fuzz regression: every Lock is linked into the C list `all_locks`
-- (src/lock.c:17) and unlinked by its __gc. debug.setmetatable(lock, nil)
-- (or any metatable without that __gc) means the userdata is freed without
-- being unlinked: heap-use-after-free in new_lock (lock.c:168) at the next
-- ts.Lock(), and in lock_held_by (lock.c:23) when a report lists held locks.
--   ./tsbox-asan --seed 1 tests/fuzz_regress/lock_gc_setmetatable.lua
-- Expected: no use after free. Exit 3 (the deadlock below).
local ts = require "tsbox"
local l = ts.Lock()
l:acquire()
debug.setmetatable(l, nil)
l = nil          -- luacheck: ignore 311
collectgarbage()
collectgarbage()
local l2 = ts.Lock()
l2:acquire()
l2:acquire()     -- deadlock: the report walks all_locks
