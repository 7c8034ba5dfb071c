# Carriers against hostile scripts: a thread preempted in plain Lua leaves
# its POSIX thread and another resumes it (sched.h). Whatever a script
# does while threads wait so, a seed must give what it gives when every
# switch wakes a POSIX thread (TSBOX_CARRY=0), byte for byte, and the
# right answer.
. "$(dirname "$0")/lib.sh"

# both SEED ARGS...: one run carrying ($T/c.*, also $T/out and $T/err
# for expect_out) and one not ($T/n.*).
both() {
  seed=$1
  shift
  "$TSBOX" --seed "$seed" "$@" > "$T/c.out" 2> "$T/c.err" < /dev/null
  echo "exit $?" >> "$T/c.out"
  TSBOX_CARRY=0 "$TSBOX" --seed "$seed" "$@" > "$T/n.out" 2> "$T/n.err" < /dev/null
  echo "exit $?" >> "$T/n.out"
  cp "$T/c.out" "$T/out"
  cp "$T/c.err" "$T/err"
}

# same NAME EXPECTED SEEDS ARGS...: for each seed, carrying or not, the
# same stdout, stderr and status, and stdout holds EXPECTED.
same() {
  name=$1 expected=$2 seeds=$3
  shift 3
  for s in $seeds; do
    both "$s" "$@"
    if ! cmp -s "$T/c.out" "$T/n.out" || ! cmp -s "$T/c.err" "$T/n.err"; then
      fail "$name" "seed $s: carrying and TSBOX_CARRY=0 differ" \
        "$(diff "$T/c.out" "$T/n.out" | head -6)" "$(diff "$T/c.err" "$T/n.err" | head -6)"
      return
    fi
    if ! grep -qF -- "$expected" "$T/c.out"; then
      fail "$name" "seed $s: stdout lacks: $expected" "stdout: $(head -c 300 "$T/c.out")" \
        "stderr: $(head -c 300 "$T/c.err")"
      return
    fi
  done
  pass "$name"
}

# A collection made by another thread shrinks the stack of a thread that
# left its carrier (it had grown in a deep recursion, where the thread
# could not leave): the stack moves, and the resume must find its tops
# where they moved to.
lua shrink.lua <<'LUA'
local ts = require "tsbox"
local function rec(n) if n == 0 then return 0 end return rec(n - 1) + 1 end
local stop = false
local function busy()
  local s = 0
  for _ = 1, 40 do
    s = s + rec(300)
    for i = 1, 300 do s = s + i % 7 end
  end
  return s
end
local c = ts.spawn(function() while not stop do collectgarbage("step", 0) end end)
local a, b = ts.spawn(busy), ts.spawn(busy)
a:join(); b:join(); stop = true; c:join()
print("sums", a.result[1], b.result[1])
LUA
same "a stack shrunk while its thread waits off its carrier" "sums	48120	48120" \
  "1 2 3 4 5 6" "$T/shrink.lua"

# A thread's body cannot yield (its coroutine yields only to leave its
# carrier): coroutine.yield refuses as Lua refuses a yield from inside a
# table.sort comparator, with the same message and no position.
lua yield.lua <<'LUA'
local ts = require "tsbox"
local co = coroutine.create(function()
  return select(2, pcall(table.sort, {1, 2, 3}, function() coroutine.yield() end))
end)
local lua_says = select(2, coroutine.resume(co))
ts.spawn(function()
  local direct = select(2, pcall(coroutine.yield, 1))
  local nested = select(2, pcall(function() coroutine.yield(2) end))
  print("yield refused", direct == lua_says, nested == lua_says, nested)
end):join()
LUA
same "coroutine.yield in a thread's body fails as Lua's own refusal" \
  "yield refused	true	true	attempt to yield across a C-call boundary" "1 2" "$T/yield.lua"

# To-be-closed variables closed as a thread's body fails: their __close
# handlers run (and are preempted) while Lua unwinds to the body's pcall.
lua tbc.lua <<'LUA'
local ts = require "tsbox"
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    local s = 0
    for i = 1, 500 do s = s + i end
    print("close", name, s, err)
  end })
end
local ths = {}
for i = 1, 3 do
  ths[i] = ts.spawn(function()
    local a <close> = closer("a" .. i)
    local b <close> = closer("b" .. i)
    local s = 0
    for j = 1, 200 do s = s + j end
    if i ~= 2 then error("fail " .. i) end
    return s
  end)
end
for i = 1, 3 do ths[i]:join(); print(i, ths[i].result and ths[i].result[1], ths[i].error) end
LUA
same "__close handlers of a failing body, preempted" "close	a1	125250	" "1 2 3" "$T/tbc.lua"
same "__close handlers of a failing body, a preemption point at every instruction" \
  "3	nil	" "1 2" --quantum 1 "$T/tbc.lua"

# The C stack limit falls where it falls without carrying, after a thread
# was moved between POSIX threads many times.
lua cstack.lua <<'LUA'
local ts = require "tsbox"
local depth = {}
local function c_rec(id, n)
  depth[id] = n
  return setmetatable({}, { __index = function() return c_rec(id, n + 1) end }).x
end
local function w_rec(id, n)
  depth[id] = n
  return coroutine.wrap(function() return w_rec(id, n + 1) end)()
end
local ths = {}
for i = 1, 4 do
  ths[i] = ts.spawn(function()
    local s = 0
    for j = 1, 2000 do s = s + j end
    local ok, e = pcall(i % 2 == 1 and c_rec or w_rec, i, 0)
    return ok, #e
  end)
end
for i = 1, 4 do ths[i]:join(); print(i, depth[i], ths[i].result[1]) end
LUA
same "C stack overflow in threads moved between carriers" "4	" "1 2 3" "$T/cstack.lua"

# The coroutine library on a busy thread's coroutine, from another thread.
lua colib.lua <<'LUA'
local ts = require "tsbox"
local co, go = nil, false
local t = ts.spawn(function()
  co = coroutine.running()
  local s = 0
  while not go do s = s + 1 end
  return "done"
end)
while co == nil do ts.yield() end
for _ = 1, 200 do local _ = 0 end
print("status", coroutine.status(co), coroutine.isyieldable(co))
print("resume", coroutine.resume(co))
print("close", pcall(coroutine.close, co))
print("where", debug.getinfo(co, 0, "l").currentline, (debug.traceback(co):match("colib.lua:%d+")))
go = true
t:join()
print("after", coroutine.status(co), t.result[1])
LUA
same "the coroutine library on a thread's coroutine while it waits" \
  "resume	false	cannot resume non-suspended coroutine" "1 2 3 4" "$T/colib.lua"
expect_out "a waiting thread's coroutine is normal, not yieldable" "status	normal	false"

# Thousands of short threads, busy enough to leave their carriers: the
# POSIX threads stay few.
lua leak.lua <<'LUA'
local ts = require "tsbox"
local function threads()
  local f = assert(io.open("/proc/self/status"))
  local n = f:read("a"):match("Threads:%s*(%d+)")
  f:close()
  return tonumber(n)
end
local most = 0
for round = 1, 500 do
  local ths = {}
  for j = 1, 4 do
    ths[j] = ts.spawn(function() local s = 0; for q = 1, 60 * j do s = s + q end; return s end)
  end
  for j = 1, 4 do ths[j]:join() end
  if round % 50 == 0 then most = math.max(most, threads()) end
end
print("bounded", most < 40)
LUA
if [ -r /proc/self/status ]; then
  same "2000 short threads leave no POSIX thread behind" "bounded	true" "1 2" "$T/leak.lua"
else
  skip "no /proc/self/status to count POSIX threads"
fi

finish
