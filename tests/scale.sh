# Scale: many threads in one run, and the thread limit (issue: quality gates).
. "$(dirname "$0")/lib.sh"

lua many.lua <<'L'
local ts = require "tsbox"
local done, lock = 0, ts.Lock()
for _ = 1, 100 do
  local batch = {}
  for i = 1, 100 do
    batch[i] = ts.spawn(function() lock:with(function() done = done + 1 end) end)
  end
  for i = 1, 100 do batch[i]:join() end
end
print("threads done", done, "active", ts.active_count())
L
run --seed 1 "$T/many.lua"
expect_rc "10 000 threads spawned and joined in one run" 0
expect_out "every one of them ran, and only MainThread is left" "threads done	10000	active	1"

lua wide.lua <<'L'
local ts = require "tsbox"
local go = ts.Event()
local threads = {}
for i = 1, 1000 do threads[i] = ts.spawn(function() go:wait() end) end
print("alive", ts.active_count())
go:set()
for i = 1, 1000 do threads[i]:join() end
print("after", ts.active_count())
L
run --seed 2 "$T/wide.lua"
expect_out "1000 threads can wait at once" "alive	1001"
expect_out "and all of them finish" "after	1"
run --seed 2 --max-threads 500 "$T/wide.lua"
expect_rc "--max-threads stops a run that needs more: exit 4" 4
expect_err "the limit names the option" "thread limit: 500 live threads (--max-threads)"

finish
