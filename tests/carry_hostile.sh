# Carriers against hostile scripts: a thread preempted in plain Lua leaves
# its POSIX thread and another resumes it (sched.h). Whatever a script
# does while threads wait so, a seed must give what it gives when every
# switch wakes a POSIX thread (TSBOX_CARRY=0), byte for byte, and the
# right answer.
. "$(dirname "$0")/lib.sh"

# both SEED ARGS...: one run carrying ($T/c.*) and one not ($T/n.*).
both() {
  seed=$1
  shift
  "$TSBOX" --seed "$seed" "$@" > "$T/c.out" 2> "$T/c.err" < /dev/null
  echo "exit $?" >> "$T/c.out"
  TSBOX_CARRY=0 "$TSBOX" --seed "$seed" "$@" > "$T/n.out" 2> "$T/n.err" < /dev/null
  echo "exit $?" >> "$T/n.out"
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

finish
