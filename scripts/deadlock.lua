-- deadlock.lua: the dining philosophers, a deadlock that only some schedules hit.
--
-- Five philosophers sit at a round table with one fork between neighbours
-- (each fork a Lock). Four times over, each thinks a while, then eats: to
-- eat, a philosopher picks up the left fork, then the right one. If all five
-- pick up their left fork at the same moment, each waits forever for the
-- right fork, held by the neighbour: a cycle of waits.
-- tsbox notices that every thread is blocked, prints who waits for which fork
-- held by whom and the wait-for cycle, and exits with status 3.
--
-- Run:  for s in 1 2 3 4 5; do tsbox -s $s scripts/deadlock.lua; done
--       (seeds 1 to 4 finish, seed 5 deadlocks: replay it with the command
--       tsbox prints), then tsbox --runs 200 --seed 1 scripts/deadlock.lua
--       to see how often it happens.
-- Fix:  tsbox scripts/deadlock.lua ordered
--       Everyone picks up the lower-numbered fork first. philosopher-5 then
--       reaches for fork-1 before fork-5, so the waits can never form a
--       circle, and every schedule completes.
-- Why:  tsbox --race -s 1 scripts/deadlock.lua   names the cycle fork-1 -> fork-2
--       -> ... -> fork-1 (a lock-order inversion), whether or
--       not that run deadlocks; with `ordered` it is silent.
local ts = require "tsbox"

local N, MEALS = 5, 4
local ordered = arg[1] == "ordered"
local forks = {}
for i = 1, N do forks[i] = ts.Lock("fork-" .. i) end

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

local function philosopher(i)
  local me = ts.current_thread().name
  local first, second = i, i % N + 1     -- left fork, then right fork
  if ordered and first > second then first, second = second, first end
  for meal = 1, MEALS do
    ts.sleep(math.random(0, 1) * 0.5)    -- think for 0 or 0.5 s (seeded)
    forks[first]:acquire()
    say("%s picks up fork-%d, reaches for fork-%d", me, first, second)
    forks[second]:acquire()
    say("%s picks up fork-%d too and eats (meal %d of %d)", me, second, meal, MEALS)
    ts.sleep(0.5)
    forks[second]:release()
    forks[first]:release()
  end
  say("%s is full", me)
end

say("%d philosophers sit down (%s)", N, ordered and "forks taken in order" or "left fork first")
local threads = {}
for i = 1, N do
  threads[i] = ts.Thread{target = philosopher, args = {i}, name = "philosopher-" .. i}
  threads[i]:start()
end
for _, t in ipairs(threads) do t:join() end
say("all %d philosophers ate %d meals each: no deadlock", N, MEALS)
ts.outcome("everyone ate")   -- groups the runs of an exploration
