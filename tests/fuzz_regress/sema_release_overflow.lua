-- fuzz regression: Semaphore:release(n) overflows the int64 counter:
-- src/sema.c:58 (bounded check `s->value + n > s->initial`) and sema.c:60
-- (`s->value += n`), UBSan "signed integer overflow: 2 + 9223372036854775807".
--   ./tsbox-asan --seed 1 tests/fuzz_regress/sema_release_overflow.lua
-- Expected: a Lua error (ValueError or OverflowError), no UB. Exit 0.
local ts = require "tsbox"
print(pcall(function() ts.BoundedSemaphore(2):release(math.maxinteger) end))
print(pcall(function() ts.Semaphore(1):release(math.maxinteger) end))
print(pcall(function() local s = ts.Semaphore(0); s:release(math.maxinteger); s:release(1) end))
