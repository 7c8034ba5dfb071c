-- pool.lua: four tellers from a ThreadPool: submit, futures, map, errors.
--
-- A ThreadPool owns worker threads and hands them tasks: pool:submit(fn, ...)
-- queues one call and returns at once with a *future*, a claim ticket that
-- f:result() turns into the call's return values, waiting if needed. Workers
-- start lazily, one per submit that finds none idle, up to max_workers, and
-- are named PREFIX_0, PREFIX_1, ... as in Python's ThreadPoolExecutor.
--
-- Act 1 is the tutorial's first program: four tasks, four workers, each
-- prints the name of the thread that runs it. Act 2 uses pool:map (results
-- come back in input order, whoever finished first). Act 3 shows a task that
-- raises: the error stays in its future, f:result() re-raises that same
-- error value in the caller, and the pool goes on serving. The `<close>`
-- variable shuts the pool down and waits for its workers at the end of the
-- scope, like Python's `with ThreadPoolExecutor(...) as pool:`.
-- Timestamps are tsbox's virtual clock: exact, and ts.sleep costs no real time.
--
-- Run:  tsbox -s 1 scripts/pool.lua
-- Try:  other seeds: which teller runs which task changes, the results and
--       their order do not (`tsbox --runs 200 scripts/pool.lua`: a single
--       outcome). ThreadPool(2, "teller") does the same work with two
--       tellers: see the clock. Remove `<close>`: the final check finds
--       the four workers still alive (idle); the script still ends, as they
--       are daemon threads, but work still queued at the end would be
--       dropped: call pool:shutdown() or keep `<close>`.
local ts = require "tsbox"

local function say(fmt, ...)
  print(string.format("[%.3f] " .. fmt, ts.time(), ...))
end

do
  local pool <close> = ts.ThreadPool(4, "teller")   -- max_workers, name prefix

  -- Act 1: four pooled workers printing their names.
  say("act 1: four tasks for %s", tostring(pool))
  local hellos = {}
  for i = 1, 4 do
    hellos[i] = pool:submit(function()
      local me = ts.current_thread().name
      say("task %d runs in thread %s", i, me)
      ts.sleep(1)                                   -- keep this worker busy
      return me
    end)
  end
  for i, f in ipairs(hellos) do say("task %d was run by %s", i, f:result()) end

  -- Act 2: map: one call per account, results in the order of the input.
  say("act 2: interest on five accounts")
  local balances = { 100, 250, 40, 1000, 75 }
  local interest = pool:map(function(balance)
    ts.sleep(balance / 1000)                        -- bigger accounts take longer
    say("%s computed the interest on %d", ts.current_thread().name, balance)
    return balance * 0.05
  end, balances)
  for i, b in ipairs(balances) do say("account %d: %d -> interest %.2f", i, b, interest[i]) end

  -- Act 3: a task that raises.
  say("act 3: a bad cheque")
  local cheque = pool:submit(function(amount)
    if amount < 0 then ts._raise(ts.ValueError, "negative cheque: " .. amount, 1) end
    return amount
  end, -20)
  local ok, err = pcall(cheque.result, cheque)      -- re-raises the task's error
  say("result() raised %s", tostring(err))
  say("same error value as exception(): %s; the pool still serves: 6 x 7 = %d",
    tostring(not ok and rawequal(err, cheque:exception())), pool:submit(function() return 6 * 7 end):result())
  -- What an exploration (--runs) groups runs by: the same in every schedule.
  ts.outcome("interest=" .. table.concat(interest, ","), "cheque=" .. tostring(err.kind))
end -- pool:shutdown(): every worker has ended here

say("pool shut down; threads alive: %d (just MainThread)", ts.active_count())
ts.check(ts.active_count() == 1, "a pool worker outlived shutdown()")
