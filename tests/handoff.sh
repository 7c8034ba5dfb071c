# Hand-overs when threads outnumber cores (issues 12 and 17): a hand-over
# wakes only the thread it names, only the thread designated to run next
# spins, and spins are not wasted. Checked on tsbox's own counters
# (TSBOX_BATON_STATS), never on timings.
. "$(dirname "$0")/lib.sh"

# T threads that only compute share N loop iterations: every thread is
# always runnable and the scheduler switches among all of them.
lua busy.lua <<'L'
local ts = require "tsbox"
local T, N = tonumber(arg[1]), tonumber(arg[2])
x = 0   -- luacheck: ignore
local threads = {}
for i = 1, T do threads[i] = ts.spawn(function() for _ = 1, N // T do x = x + 1 end end) end
for i = 1, T do threads[i]:join() end
print("iterations", x)
L

# stat NAME: a figure of the last run's baton line.
stat() {
  sed -n 's/^tsbox: baton: //p' "$T/err" | tr ',' '\n' | sed -n "s/^ *\([0-9]*\) $1\$/\1/p"
}
most_spinning() { sed -n 's/.*at most \([0-9]*\) spinning at once.*/\1/p' "$T/err"; }

threads=16
for sched in random rr; do
  TSBOX_BATON_STATS=1 run --sched "$sched" --seed 3 "$T/busy.lua" "$threads" 64000
  h=$(stat hand-overs); w=$(stat "futex wakes"); s=$(stat sleeps)
  sp=$(stat spins); c=$(stat "caught spinning"); m=$(most_spinning)
  if [ -z "$h" ] || [ "$h" -lt 1000 ]; then
    fail "$sched, $threads busy threads: the baton counters are printed" "stderr: $(head -c 600 "$T/err")"
    continue
  fi
  info="$h hand-overs, $w wakes, $s sleeps, $sp spins, $c caught, at most $m spinning"
  if [ "$w" -le $((2 * h + 2 * threads)) ]; then
    pass "$sched, $threads busy threads: a hand-over wakes at most the next thread and the one after"
  else fail "$sched, $threads busy threads: a hand-over wakes at most the next thread and the one after" "$info"; fi
  if [ "$sp" -le $((h + threads)) ]; then
    pass "$sched, $threads busy threads: at most one spinner per hand-over"
  else fail "$sched, $threads busy threads: at most one spinner per hand-over" "$info"; fi
  # A spinner that was not the one handed the baton next wasted its core.
  if [ $(( (sp - c) * 20 )) -le $((h + 20 * threads)) ]; then
    pass "$sched, $threads busy threads: 95 % of spins end with the baton"
  else fail "$sched, $threads busy threads: 95 % of spins end with the baton" "$info"; fi
  if [ "$m" -le $((threads / 2)) ]; then
    pass "$sched, $threads busy threads: most waiters sleep rather than spin"
  else fail "$sched, $threads busy threads: most waiters sleep rather than spin" "$info"; fi
done

# The counters watch; they never change a schedule.
run --seed 5 -v "$T/busy.lua" 8 20000; grep -v '^tsbox: baton:' "$T/err" > "$T/a"; cp "$T/out" "$T/ao"
TSBOX_BATON_STATS=1 run --seed 5 -v "$T/busy.lua" 8 20000; grep -v '^tsbox: baton:' "$T/err" > "$T/b"
if cmp -s "$T/a" "$T/b" && cmp -s "$T/ao" "$T/out"; then pass "TSBOX_BATON_STATS leaves the run unchanged"
else fail "TSBOX_BATON_STATS leaves the run unchanged" "$(diff "$T/a" "$T/b" | head -4)"; fi

finish
