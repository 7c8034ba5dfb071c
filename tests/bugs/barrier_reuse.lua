-- A hand-made barrier, an arrival count and an Event, used for two rounds:
-- the Event is never cleared, so a fast thread runs through round two
-- before the others have finished round one.
local ts = require "tsbox"

local N = 2
local arrived, gate, mu = 0, ts.Event(), ts.Lock()
local done = ts.shared({ [1] = 0, [2] = 0 }, "done")
local function barrier()
  mu:acquire()
  arrived = arrived + 1
  if arrived % N == 0 then gate:set() end
  mu:release()
  gate:wait()
end
local function worker()
  for round = 1, 2 do
    mu:acquire(); done[round] = done[round] + 1; mu:release()
    barrier()
    ts.check(done[round] == N, "round " .. round .. " passed with " .. done[round] .. " of " .. N)
  end
end
local ws = {}
for i = 1, N do ws[i] = ts.Thread{name = "worker-" .. i, target = worker}; ws[i]:start() end
for i = 1, N do ws[i]:join() end
