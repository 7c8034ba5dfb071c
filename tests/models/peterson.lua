-- peterson.lua [broken] [ROUNDS]: Peterson's mutual exclusion for two
-- threads, spinning with ts.yield(). "broken" raises the flag after giving
-- the turn away, which lets both threads in.
local ts = require "tsbox"
local broken = arg[1] == "broken"
local ROUNDS = tonumber(arg[2]) or 2
local flag = { false, false }
local turn = 1
local inside = 0
local function proc(me)
  local other = 3 - me
  for _ = 1, ROUNDS do
    if broken then
      turn = other
      flag[me] = true
    else
      flag[me] = true
      turn = other
    end
    while flag[other] and turn == other do ts.yield() end
    inside = inside + 1
    ts.check(inside == 1, "mutual exclusion violated")
    inside = inside - 1
    flag[me] = false
  end
end
local a, b = ts.spawn(proc, 1), ts.spawn(proc, 2)
a:join(); b:join()
