-- fuzz/gen.lua: the tsbox scenario generator.
--
--   lua5.4 fuzz/gen.lua SEED > scenario.lua
--
-- Prints one random scenario script, a pure function of SEED (its own
-- splitmix64 generator, never math.random). A scenario builds a shared pool
-- of primitives, starts 1 to 8 threads (some daemon) and has them, and the
-- main chunk, call random methods of the pool with valid and invalid
-- arguments: wrong types, negative, huge and NaN timeouts, extra arguments,
-- methods called on the wrong object, nested `with` and `<close>` holds,
-- errors (strings, tables, nil, hostile metatables) raised in critical
-- sections, joins (of self, of unstarted threads, with timeouts), barrier
-- aborts and resets, notifies without the lock, releases of unowned locks,
-- coroutines around blocking calls and yields across them, big allocations,
-- deep Lua and C recursion, finalizers that call tsbox, collectgarbage while
-- others block, metamethods called by hand, metatables and user values
-- swapped with the debug library, and, rarely, os.exit and debug hooks.
-- Some scenarios add "oracle" locks whose critical sections check mutual
-- exclusion (failures print ORACLE), some first fill the heap close to the
-- memory limit. A few percent of the scripts are deliberately malformed.
--
-- Under `--sched os` the script clamps its long sleeps and timeouts (TO())
-- so that a run stays short in real time.

local json_mode = arg[1] == "--json"   -- a hostile report for `tsbox merge` instead
local seed = math.tointeger(tonumber(arg[json_mode and 2 or 1] or ""))
if not seed then
  io.stderr:write("usage: lua5.4 fuzz/gen.lua [--json] SEED\n")
  os.exit(2)
end

---------------------------------------------------------------------------
-- PRNG: splitmix64 on Lua's wrapping 64-bit integers.

local state = seed ~ 0x2545F4914F6CDD1D
local function next64()
  state = state + 0x9E3779B97F4A7C15
  local z = state
  z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
  z = (z ~ (z >> 27)) * 0x94D049BB133111EB
  return z ~ (z >> 31)
end

-- rand(n): 1..n; rand(a, b): a..b
local function rand(a, b)
  if not b then a, b = 1, a end
  return a + (next64() >> 1) % (b - a + 1)
end

local function chance(p)
  return (next64() >> 11) / 9007199254740992.0 < p
end

-- FUZZ_AVOID=nan,overflow,tostring,meta,debug,squeeze (comma-separated) steers
-- around known, not yet fixed bugs so that the fuzzer can look past them:
-- NaN numbers, math.maxinteger counts and near-forever timeouts, __tostring
-- metamethods that fail or yield, metamethods called by hand, tables given
-- tsbox's metatables and the debug library (s_meta, debug.*), argument
-- metatables and registry, upvalue and class swaps (s_debug), the heap
-- squeeze. The scripts then differ from the default ones for the same seed.
local AVOID = {}
for w in (os.getenv("FUZZ_AVOID") or ""):gmatch("[%w_]+") do AVOID[w] = true end
local REPLACE = {}
if AVOID.nan then REPLACE["0/0"] = "0.5"; REPLACE["-(0/0)"] = "-0.5" end
if AVOID.overflow then REPLACE["math.maxinteger"] = "1e9"; REPLACE["8.9e9"] = "1"; REPLACE["5e9"] = "1" end

local function fix(v)
  return REPLACE[v] or v
end

local function pick(t)
  return fix(t[rand(#t)])
end

-- wpick{{weight, value}, ...}
local function wpick(t)
  local total = 0
  for _, e in ipairs(t) do total = total + e[1] end
  local r = rand(total)
  for _, e in ipairs(t) do
    r = r - e[1]
    if r <= 0 then return fix(e[2]) end
  end
  return fix(t[#t][2])
end

---------------------------------------------------------------------------
-- Output

local out = {}
local function emit(ind, line)
  out[#out + 1] = string.rep("  ", ind) .. line
end

---------------------------------------------------------------------------
-- --json: a damaged or hostile tsbox report, for `tsbox merge` (run.sh).
-- A well-formed shard report is built, then mutated: numbers out of range
-- or of the wrong type, deep nesting, strings with bad escapes or bytes
-- that are not UTF-8, missing or duplicated fields, truncation.

if json_mode then
  local function jnum()
    return pick { "0", "1", "-1", "10", "1e300", "-1e300", "2147483648", "4294967296", "1.5", "9007199254740993",
      "18446744073709551615", "1e-300", "NaN", "Infinity", "-0", "0x10", "1e", "--1", "" }
  end
  local function jstr()
    return pick { '"x"', '""', '"\\u"', '"\\u12"', '"\\uZZZZ"', '"\\ud800"', '"\\u0000"', '"\\"', '"a\\qb"',
      '"\255\254"', '"\192\128"', '"' .. string.rep("s", rand(1, 5000)) .. '"', '"\\n\\t\27"', '"r:0x1"',
      '"d:q1:1.2"', "null", "1", "[]", "{}" }
  end
  local function field(k, v)
    return '"' .. k .. '": ' .. v
  end
  local function shard_doc(i, n, total, runs)
    local f = {
      field("tsbox", '"0.1.0"'), field("script", '"x.lua"'), field("target", '"x.lua"'),
      field("sched", pick { '"random"', '"random"', '"dfs"', '"pct"', '"rr"', '"x"' }),
      field("seed_first", tostring(i * 10)), field("seed_last", tostring(i * 10 + runs - 1)),
      field("runs", tostring(runs)), field("total_runs", tostring(total)), field("elapsed_s", "0.5"),
      field("exhausted", pick { "false", "true" }), field("jobs", "2"), field("preemptions", "2"),
      field("quantum", "16"), field("shard", '"' .. i .. "/" .. n .. '"'),
      field("outcomes", '[{"outcome": "a", "runs": ' .. runs .. ', "first_run": 1, "replay": "r:0x1"}]'),
      field("failures", '[{"kind": "check", "runs": 1, "first_run": 2, "replay": "r:0x2", "message": "m"}]'),
      field("first_failure", '{"run": 2, "kind": "check", "replay": "r:0x2"}'),
    }
    for _ = 1, rand(0, 4) do
      local r = rand(8)
      local k = rand(#f)
      local key = f[k]:match('^"([^"]*)"')
      if r == 1 then f[k] = field(key, jnum())
      elseif r == 2 then f[k] = field(key, jstr())
      elseif r == 3 then table.remove(f, k)
      elseif r == 4 then f[#f + 1] = f[k]
      elseif r == 5 then
        local d = pick { 10, 63, 64, 65, 1000, 200000 }
        f[k] = field(key, string.rep("[", d) .. (chance(0.5) and string.rep("]", d) or ""))
      elseif r == 6 then
        local rows = {}
        for j = 1, rand(0, 50) do
          rows[j] = '{"outcome": ' .. jstr() .. ', "runs": ' .. jnum() .. ', "first_run": ' .. jnum() ..
            ', "replay": ' .. jstr() .. ', "kind": ' .. jstr() .. ', "message": ' .. jstr() .. "}"
        end
        f[k] = field(pick { "outcomes", "failures" }, "[" .. table.concat(rows, ", ") .. "]")
      elseif r == 7 then f[k] = field(key, '{"run": ' .. jnum() .. ', "kind": ' .. jstr() .. "}")
      else f[k] = '"' .. key .. '" ' .. jnum() end    -- no colon
    end
    local text = "{" .. table.concat(f, ", ") .. "}"
    if chance(0.1) then text = text:sub(1, rand(1, #text)) end
    if chance(0.05) then text = text .. pick { "x", " {}", "\0", " ]" } end
    return text
  end
  local n = rand(1, 3)
  io.write(shard_doc(rand(1, n), n, rand(0, 100), rand(0, 50)), "\n")
  return
end

---------------------------------------------------------------------------
-- Scenario-wide choices

local has_toolbox = chance(0.85)     -- uses ts.Queue etc. when present
local hostile = chance(0.4)          -- hostile values (metatables) in play
local valid_mode = chance(0.3)       -- mostly valid arguments: deeper protocol states
local oracle = chance(0.5)           -- mutual-exclusion oracle locks (see s_oracle)
local squeeze = chance(0.05) and not AVOID.squeeze   -- fill the heap close to --max-memory first
local nthreads = rand(1, 8)
local pool = {}                      -- {kind=, expr=}
local budget = rand(25, 140)         -- statements left in the whole script

local KINDS_CORE = { "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event",
  "Condition", "ConditionL", "Barrier" }
local KINDS_TOOL = { "Queue", "ThreadPool", "Timer" }

local LOCKLIKE = { Lock = true, RLock = true, Semaphore = true, BoundedSemaphore = true,
  Condition = true, ConditionL = true }

---------------------------------------------------------------------------
-- Random argument expressions

-- H(k): the script's hostile values (see the prelude)
local function hostile_expr()
  local k = rand(1, 12)
  if AVOID.tostring and (k == 1 or k == 2 or k == 4) then k = 3 end
  return "H(" .. k .. ")"
end

local function small_time()
  return pick { "0.001", "0.002", "0.005", "0.01", "0.02", "0.05" }
end

-- A timeout argument; `raw` skips the TO() clamp used under --sched os.
local function timeout_expr(raw)
  if valid_mode and chance(0.85) then return chance(0.3) and "nil" or small_time() end
  local k = wpick { { 25, "nil" }, { 30, "small" }, { 10, "mid" }, { 6, "zero" },
    { 8, "neg" }, { 8, "huge" }, { 8, "weird" } }
  if k == "nil" then return "nil"
  elseif k == "small" then return small_time()
  elseif k == "zero" then return pick { "0", "0.0", "-0.0" }
  elseif k == "mid" then
    local v = pick { "0.2", "1", "5", "30" }
    return raw and v or "TO(" .. v .. ")"
  elseif k == "neg" then return pick { "-1", "-0.5", "-1e308", "-math.huge", "-2", "math.mininteger" }
  elseif k == "huge" then
    local v = pick { "1e308", "math.huge", "2^63", "math.maxinteger", "1e18", "2^53", "8.9e9", "5e9" }
    return raw and v or "TO(" .. v .. ")"
  else
    return pick { "0/0", "'0.01'", "'x'", "{}", "true", "1e-300", "-(0/0)", "'1e999'", "print" }
  end
end

local function blocking_expr()
  if valid_mode and chance(0.85) then return chance(0.8) and "true" or "false" end
  return wpick { { 40, "true" }, { 20, "false" }, { 10, "nil" }, { 10, "0" }, { 5, "1" },
    { 5, "'no'" }, { 5, "{}" }, { 5, "print" } }
end

local function count_expr()
  if valid_mode and chance(0.85) then return pick { "1", "1", "2", "3" } end
  return wpick { { 30, "1" }, { 15, "2" }, { 8, "3" }, { 8, "0" }, { 6, "-1" }, { 4, "100" },
    { 3, "1e9" }, { 3, "2^31" }, { 3, "2^53" }, { 3, "math.maxinteger" }, { 3, "math.mininteger" },
    { 3, "1.5" }, { 3, "0/0" }, { 3, "math.huge" }, { 3, "'2'" }, { 3, "nil" }, { 2, "{}" },
    { 2, "-math.huge" }, { 2, "2^63" }, { 2, "-2^63" } }
end

local function name_expr()
  local k = wpick { { 40, "plain" }, { 10, "num" }, { 5, "nil" }, { 5, "long" }, { 5, "weird" },
    { 5, "table" }, { 5, "fmt" }, { 4, "hostile" } }
  if k == "plain" then return string.format("%q", pick { "a", "vault", "fork-1", "tellers", "x y", "" })
  elseif k == "num" then return pick { "1", "-1", "0.5", "math.huge", "0/0", "math.mininteger" }
  elseif k == "nil" then return "nil"
  elseif k == "long" then return "string.rep('N', " .. pick { "300", "5000", "100000" } .. ")"
  elseif k == "weird" then return pick { "'a\\0b'", "'\\xff\\xfe'", "'\\n\\t\"'", "'%s%n%d'" }
  elseif k == "table" then return pick { "{}", "print", "true", "coroutine.running()" }
  elseif k == "fmt" then return "'%s%s%s%s%n'"
  else return hostile and (hostile_expr()) or "'h'" end
end

-- Any value at all (thread args, queue items, check messages, error values).
local function value_expr(depth)
  depth = depth or 0
  local k = wpick { { 20, "str" }, { 15, "num" }, { 8, "nil" }, { 8, "bool" }, { 8, "table" },
    { 6, "prim" }, { 6, "hostile" }, { 4, "func" }, { 4, "co" }, { 3, "big" }, { 4, "tsval" },
    { 3, "nested" } }
  if k == "str" then return string.format("%q", pick { "x", "boom", "", "err", "RuntimeError" })
  elseif k == "num" then return pick { "0", "1", "-1", "42", "3.5", "0/0", "math.huge", "math.mininteger", "1e308" }
  elseif k == "nil" then return "nil"
  elseif k == "bool" then return pick { "true", "false" }
  elseif k == "table" then
    return pick { "{}", "{1, 2, 3}", "{kind = 'RuntimeError', message = 'fake'}", "{kind = 42}",
      "{message = {}}", "{kind = 'ValueError'}", "{traceback = 1}", "G" }
  elseif k == "prim" then
    if #pool > 0 then return pick(pool).expr end
    return "ts.Lock()"
  elseif k == "hostile" then
    return hostile and (hostile_expr()) or "'not hostile'"
  elseif k == "func" then return pick { "print", "function() end", "error", "ts.yield", "coroutine.yield" }
  elseif k == "co" then return pick { "coroutine.create(print)", "coroutine.running()", "T[1]", "ts.current_thread()" }
  elseif k == "big" then return "string.rep('v', " .. pick { "1000", "100000", "1000000" } .. ")"
  elseif k == "tsval" then return pick { "ts.RuntimeError", "ts.BrokenBarrierError", "ts", "ts.main_thread()" }
  else
    if depth > 1 then return "{}" end
    return "{" .. value_expr(depth + 1) .. ", k = " .. value_expr(depth + 1) .. "}"
  end
end

-- Error values for error(...)
local function errval_expr()
  local k = wpick { { 25, "str" }, { 15, "tab" }, { 12, "nil" }, { 10, "value" }, { 14, "hostile" },
    { 5, "tserr" } }
  if k == "str" then return string.format("%q", pick { "x", "boom in critical section", "" })
  elseif k == "tab" then return pick { "{}", "{kind = 'RuntimeError'}", "{1, 2}", "setmetatable({}, {})" }
  elseif k == "nil" then return "nil"
  elseif k == "value" then return value_expr()
  elseif k == "hostile" then return hostile and (hostile_expr()) or "{}"
  else return "select(2, pcall(ts.Lock().release, ts.Lock()))" end
end

-- Extra trailing arguments, sometimes
local function extra()
  if chance(0.12) then
    local n = rand(1, 3)
    local t = {}
    for i = 1, n do t[i] = value_expr() end
    return t
  end
  return {}
end

local function join_args(args)
  -- drop trailing "nil"s sometimes, to vary the argument count
  local a = {}
  for i = 1, #args do a[i] = args[i] end
  if chance(0.6) then
    while #a > 0 and a[#a] == "nil" do a[#a] = nil end
  end
  for _, e in ipairs(extra()) do a[#a + 1] = e end
  return table.concat(a, ", ")
end

local function args_of(...)
  local t = { ... }
  local n = select("#", ...)
  -- optional trailing arguments omitted at random
  local cut = n
  if n > 0 and chance(0.4) then cut = rand(0, n) end
  local a = {}
  for i = 1, cut do a[i] = t[i] end
  return join_args(a)
end

---------------------------------------------------------------------------
-- Method tables per kind: name -> function(raw) returning the argument string

local function A_acquire(raw) return args_of(blocking_expr(), timeout_expr(raw)) end
local function A_none() return join_args {} end
local function A_timeout(raw) return args_of(timeout_expr(raw)) end
local function A_count() return args_of(count_expr()) end

local METHODS = {
  Lock = { acquire = A_acquire, release = A_none, locked = A_none },
  RLock = { acquire = A_acquire, release = A_none, locked = A_none },
  Semaphore = { acquire = A_acquire, release = A_count, value = A_none },
  BoundedSemaphore = { acquire = A_acquire, release = A_count, value = A_none },
  Event = { set = A_none, clear = A_none, is_set = A_none, wait = A_timeout },
  Condition = { acquire = A_acquire, release = A_none, wait = A_timeout, notify = A_count,
    notify_all = A_none },
  Barrier = { wait = A_timeout, reset = A_none, abort = A_none },
  Queue = {
    put = function(raw) return args_of(value_expr(), blocking_expr(), timeout_expr(raw)) end,
    get = function(raw) return args_of(blocking_expr(), timeout_expr(raw)) end,
    put_nowait = function() return args_of(value_expr()) end,
    get_nowait = A_none, qsize = A_none, empty = A_none, full = A_none, task_done = A_none,
    join = A_none,
  },
  ThreadPool = { shutdown = function() return args_of(blocking_expr(), blocking_expr()) end },
  Timer = { start = A_none, cancel = A_none, join = A_timeout, is_alive = A_none },
}
METHODS.ConditionL = METHODS.Condition

local METHOD_NAMES = {}
for kind, m in pairs(METHODS) do
  local names = {}
  for name in pairs(m) do names[#names + 1] = name end
  table.sort(names)        -- pairs() order is not deterministic across runs
  METHOD_NAMES[kind] = names
end

---------------------------------------------------------------------------
-- Statements

local stmt, block   -- forward

-- Context: ind (indentation), depth (nesting), daemon, main, inco (inside a
-- coroutine body), tid (thread index or 0 for main).

local function sub(ctx, extra_ind)
  return { ind = ctx.ind + (extra_ind or 1), depth = ctx.depth + 1, daemon = ctx.daemon,
    main = ctx.main, inco = ctx.inco, tid = ctx.tid }
end

local function raw_ok(ctx)
  -- huge timeouts without the os clamp: only in daemon threads (abandoned at exit)
  return ctx.daemon and chance(0.5)
end

local function protect(ctx, line)
  -- wrap a one-line statement in pcall, most of the time
  local r = rand(100)
  if r <= 45 then
    emit(ctx.ind, "pcall(function() " .. line .. " end)")
  elseif r <= 65 then
    emit(ctx.ind, "do")
    emit(ctx.ind + 1, "local ok, e = pcall(function() return " .. line:gsub("^local _ = ", "") .. " end)")
    emit(ctx.ind + 1, "if not ok then")
    emit(ctx.ind + 2, "local s = select(2, pcall(tostring, e))")
    emit(ctx.ind + 2, "G.log[#G.log % 8 + 1] = s")
    emit(ctx.ind + 2, "if type(e) == 'table' then G.kind = rawget(e, 'kind') end")
    emit(ctx.ind + 1, "end")
    emit(ctx.ind, "end")
  elseif r <= 88 then
    emit(ctx.ind, "if not pcall(function() " .. line .. " end) then ts.yield() end")
  else
    emit(ctx.ind, line)
  end
end

local function pool_of(pred)
  local t = {}
  for _, p in ipairs(pool) do
    if pred(p.kind) then t[#t + 1] = p end
  end
  return t
end

-- A valid-ish method call on a primitive of the pool.
local function s_prim_call(ctx)
  local p = pick(pool)
  local names = METHOD_NAMES[p.kind]
  local name = pick(names)
  local args = METHODS[p.kind][name](raw_ok(ctx))
  local line = p.expr .. ":" .. name .. "(" .. args .. ")"
  if chance(0.3) then line = "local _ = " .. line end
  protect(ctx, line)
end

-- Method of one kind called on another object (or a plain value).
local function s_wrong_self(ctx)
  local p = pick(pool)
  local name = pick(METHOD_NAMES[p.kind])
  local victim
  if chance(0.6) then victim = pick(pool).expr
  else victim = pick { "nil", "1", "'x'", "{}", "ts", "ts.current_thread()", "coroutine.running()",
    "io.stdout", AVOID.meta and "{}" or ("setmetatable({}, getmetatable(" .. p.expr .. "))"), "print" } end
  local form = rand(3)
  local line
  if form == 1 then
    line = p.expr .. "." .. name .. "(" .. victim .. ")"
  elseif form == 2 then
    line = p.expr .. "." .. name .. "(" .. args_of(victim, value_expr(), timeout_expr(false)) .. ")"
  else
    line = p.expr .. "." .. name .. "()"   -- forgot the colon
  end
  if chance(0.85) then
    emit(ctx.ind, "pcall(function() " .. line .. " end)")
  else
    emit(ctx.ind, line)
  end
end

-- lock:with(fn, ...)
local function s_with(ctx)
  local cands = pool_of(function(k) return LOCKLIKE[k] end)
  if #cands == 0 or ctx.depth >= 4 then return stmt(ctx) end
  local p = pick(cands)
  local pre = chance(0.5) and "pcall(function() " or ""
  local post = pre ~= "" and " end)" or ""
  if chance(0.08) then
    emit(ctx.ind, pre .. p.expr .. ":with(" .. pick { "nil", "42", "{}", "'f'", "H and print" } .. ")" .. post)
    return
  end
  local args = {}
  for i = 1, rand(0, 2) do args[i] = value_expr() end
  local a = #args > 0 and (", " .. table.concat(args, ", ")) or ""
  emit(ctx.ind, pre .. "local r = " .. p.expr .. ":with(function(...)")
  block(sub(ctx), rand(1, 4))
  if chance(0.3) then emit(ctx.ind + 1, "return ...") end
  emit(ctx.ind, "end" .. a .. ")" .. post)
end

-- do local _ <close> = x:hold() ... end
local function s_hold(ctx)
  if ctx.depth >= 4 then return stmt(ctx) end
  local p
  if chance(0.9) then
    local cands = pool_of(function(k) return LOCKLIKE[k] end)
    if #cands == 0 then return stmt(ctx) end
    p = pick(cands)
  else
    p = pick(pool)              -- no hold() there: a plain error
  end
  local prot = chance(0.5)
  local ind = ctx.ind
  if prot then emit(ind, "pcall(function()"); ind = ind + 1 end
  emit(ind, "do")
  emit(ind + 1, "local _ <close> = " .. p.expr .. ":hold(" .. (chance(0.1) and value_expr() or "") .. ")")
  local c = sub(ctx, prot and 2 or 1)
  block(c, rand(1, 4))
  emit(ind, "end")
  if prot then emit(ctx.ind, "end)") end
end

-- error(...) in a critical section or elsewhere
local function s_throw(ctx)
  local v = errval_expr()
  local lvl = wpick { { 70, "" }, { 10, ", 0" }, { 10, ", 2" }, { 5, ", 100" }, { 5, ", -1" } }
  local line = "error(" .. v .. lvl .. ")"
  if chance(0.25) then line = "if G.n % 2 == 0 then " .. line .. " end" end
  emit(ctx.ind, line)
end

local function s_sleep(ctx)
  local r = rand(10)
  if r <= 5 then
    emit(ctx.ind, "ts.sleep(" .. small_time() .. ")")
  elseif r <= 7 then
    emit(ctx.ind, "ts.sleep(TO(" .. pick { "0.1", "1", "10", "0", "8.9e9" } .. "))")
  else
    emit(ctx.ind, "pcall(ts.sleep, " .. timeout_expr(false) .. ")")
  end
end

local function s_yield(ctx)
  emit(ctx.ind, pick { "ts.yield()", "ts.yield(1, 2)", "local _ = ts.time()", "local _ = ts.seed(), ts.sched()",
    "ts.yield()", "for _ = 1, " .. rand(1, 50) .. " do G.n = G.n + 1 end" })
end

local function s_check(ctx)
  local cond = pick { "true", "G.n >= 0", "G.n % 7 ~= 3", "1", "nil ~= false", "type(G) == 'table'" }
  local msg = wpick { { 60, "'check " .. rand(1000) .. "'" }, { 20, value_expr() }, { 10, "nil" },
    { 10, "" } }
  local a = msg == "" and cond or (cond .. ", " .. msg)
  if chance(0.1) then a = "" end
  emit(ctx.ind, "ts.check(" .. a .. ")")
end

local function s_join(ctx)
  local r = rand(10)
  local t = "T[" .. rand(1, nthreads + 1) .. "]"
  if r <= 5 then
    local to = timeout_expr(raw_ok(ctx))
    if to == "nil" and chance(0.5) then to = small_time() end
    protect(ctx, t .. ":join(" .. args_of(to) .. ")")
  elseif r == 6 then
    emit(ctx.ind, "pcall(function() ts.current_thread():join(" .. args_of(timeout_expr(false)) .. ") end)")
  elseif r == 7 then
    emit(ctx.ind, "pcall(function() ts.Thread{target = print}:join() end)")
  elseif r == 8 then
    protect(ctx, t .. ":start()")      -- starting twice
  elseif r == 9 then
    emit(ctx.ind, "pcall(function() local _ = " .. t .. ":is_alive(), " .. t .. ".ident, " .. t .. ".name, "
      .. t .. ".result, " .. t .. ".error, " .. t .. ".daemon end)")
  else
    emit(ctx.ind, "pcall(function() " .. t .. "." .. pick { "daemon", "name", "ident", "result" } .. " = "
      .. value_expr() .. " end)")
  end
end

local function s_barrier(ctx)
  local cands = pool_of(function(k) return k == "Barrier" end)
  if #cands == 0 then return stmt(ctx) end
  local b = pick(cands).expr
  local r = rand(8)
  if r <= 3 then
    protect(ctx, "local _ = " .. b .. ":wait(" .. args_of(timeout_expr(raw_ok(ctx))) .. ")")
  elseif r == 4 then
    emit(ctx.ind, b .. ":abort()")
  elseif r == 5 then
    emit(ctx.ind, b .. ":reset()")
  elseif r == 6 then
    emit(ctx.ind, "local _ = " .. b .. ".parties, " .. b .. ".n_waiting, " .. b .. ".broken, " .. b .. ".nope")
  elseif r == 7 then
    emit(ctx.ind, "pcall(function() " .. b .. ".broken = " .. value_expr() .. " end)")
  else
    emit(ctx.ind, "pcall(function() local _ = " .. b .. ":wait(" .. small_time() .. ") end)")
  end
end

local function s_cond(ctx)
  local cands = pool_of(function(k) return k == "Condition" or k == "ConditionL" end)
  if #cands == 0 then return stmt(ctx) end
  local c = pick(cands).expr
  local r = rand(10)
  if r <= 2 then   -- notify / wait without the lock
    emit(ctx.ind, "pcall(" .. c .. "." .. pick { "notify", "notify_all", "wait", "wait_for" } .. ", " .. c .. ")")
  elseif r <= 5 then  -- proper wait loop
    emit(ctx.ind, "pcall(" .. c .. ".with, " .. c .. ", function()")
    emit(ctx.ind + 1, "local tries = 0")
    emit(ctx.ind + 1, "while not G.flag and tries < " .. rand(1, 3) .. " do")
    emit(ctx.ind + 2, "tries = tries + 1")
    emit(ctx.ind + 2, "local _ = " .. c .. ":wait(" .. (chance(0.8) and small_time() or timeout_expr(raw_ok(ctx)))
      .. ")")
    emit(ctx.ind + 1, "end")
    emit(ctx.ind, "end)")
  elseif r <= 7 then  -- proper notify
    emit(ctx.ind, "pcall(" .. c .. ".with, " .. c .. ", function()")
    emit(ctx.ind + 1, "G.flag = " .. pick { "true", "not G.flag", "false" })
    emit(ctx.ind + 1, c .. ":" .. pick { "notify_all()", "notify()", "notify(" .. count_expr() .. ")" })
    emit(ctx.ind, "end)")
  else  -- wait_for with various predicates
    local pred = pick { "function() return G.flag end", "function() return G.n > 10 end",
      "function() error('pred boom') end", "function() return " .. value_expr() .. " end",
      "function() coroutine.yield() end", "function() ts.yield(); return true end",
      "function() G.n = G.n + 1; return G.n % 3 == 0 end", "42", "nil" }
    local line = c .. ":with(function() return " .. c .. ":wait_for(" .. pred .. ", "
      .. (chance(0.7) and small_time() or timeout_expr(raw_ok(ctx))) .. ") end)"
    protect(ctx, line)
  end
end

local function s_release_unowned(ctx)
  local cands = pool_of(function(k) return LOCKLIKE[k] end)
  if #cands == 0 then return stmt(ctx) end
  local p = pick(cands)
  emit(ctx.ind, "pcall(" .. p.expr .. ".release, " .. p.expr .. (chance(0.2) and (", " .. count_expr()) or "") .. ")")
end

local function s_coroutine(ctx)
  if ctx.depth >= 4 then return stmt(ctx) end
  local r = rand(12)
  if r <= 3 then
    -- plain coroutine around a block, resumed once or twice
    emit(ctx.ind, "do")
    emit(ctx.ind + 1, "local co = coroutine.wrap(function(...)")
    local c = sub(ctx, 2); c.inco = true
    block(c, rand(1, 4))
    emit(ctx.ind + 1, "end)")
    emit(ctx.ind + 1, "pcall(co" .. (chance(0.3) and (", " .. value_expr()) or "") .. ")")
    if chance(0.4) then emit(ctx.ind + 1, "pcall(co)") end
    emit(ctx.ind, "end")
  elseif r <= 5 then
    -- yield across a blocking / C call: must be a Lua error
    local lk = pool_of(function(k) return LOCKLIKE[k] end)
    local inner
    if #lk > 0 and chance(0.5) then
      inner = pick(lk).expr .. ":with(function() coroutine.yield(1) end)"
    else
      inner = pick { "table.sort({3, 2, 1}, function() coroutine.yield() end)",
        "string.gsub('abc', '.', function() coroutine.yield() end)",
        "pcall(coroutine.yield, 1)", "ts.spawn(coroutine.yield):join(" .. small_time() .. ")",
        "tostring(setmetatable({}, {__tostring = function() coroutine.yield() end}))",
        "load(function() coroutine.yield() end)" }
    end
    emit(ctx.ind, "pcall(coroutine.wrap(function() " .. inner .. " end))")
  elseif r <= 7 then
    -- a suspended coroutine holding a lock, shared with other threads
    local lk = pool_of(function(k) return LOCKLIKE[k] end)
    if #lk == 0 then return stmt(ctx) end
    local p = pick(lk).expr
    local k = rand(1, 3)
    emit(ctx.ind, "CO[" .. k .. "] = coroutine.create(function()")
    emit(ctx.ind + 1, "local _ <close> = " .. p .. ":hold()")
    emit(ctx.ind + 1, "coroutine.yield(1)")
    emit(ctx.ind + 1, "G.n = G.n + 1")
    emit(ctx.ind, "end)")
    if chance(0.6) then emit(ctx.ind, "pcall(coroutine.resume, CO[" .. k .. "])") end
  elseif r <= 9 then
    -- resume / close / inspect a coroutine from somewhere else
    local target = pick { "CO[1]", "CO[2]", "CO[3]", "CO.main", "CO.t1", "CO.t2" }
    local op = pick { "coroutine.resume", "coroutine.close", "coroutine.status", "coroutine.resume" }
    emit(ctx.ind, "if " .. target .. " then pcall(" .. op .. ", " .. target .. ") end")
  elseif r == 10 then
    -- publish this thread's own coroutine
    emit(ctx.ind, "CO." .. (ctx.main and "main" or pick { "t1", "t2" }) .. " = coroutine.running()")
  elseif r == 11 then
    -- a yield outside any coroutine.wrap: straight into the thread's own coroutine
    if ctx.inco then emit(ctx.ind, "coroutine.yield(" .. value_expr() .. ")")
    else emit(ctx.ind, chance(0.7) and "pcall(coroutine.yield, 1)" or "coroutine.yield(1)") end
  else
    -- coroutine.wrap directly around a blocking primitive call
    local p = pick(pool)
    local name = pick(METHOD_NAMES[p.kind])
    emit(ctx.ind, "pcall(coroutine.wrap(" .. p.expr .. "." .. name .. "), " .. p.expr .. ")")
  end
end

-- Metamethods called by hand, on the right or the wrong object, and
-- metatables swapped under tsbox's objects (debug.setmetatable).
local function s_meta(ctx)
  local p = pick(pool).expr
  local r = rand(8)
  if r == 6 and oracle then r = 5 end   -- shared metatables stay intact for the oracle
  if r >= 7 then
    -- user values swapped under tsbox's objects (debug.setuservalue), then collected and used
    local ctor = pick { "ts.Condition(ts.Lock())", "ts.Condition()", "ts.Barrier(1, function() end)",
      "ts.Barrier(2)", "ts.Thread{target = function() return 1 end}", "ts.Thread{target = error}",
      "ts.spawn(function() ts.sleep(0.001) return 1 end)", "ts.spawn(error, 'x')", p }
    local uv = pick { "nil", "42", "{}", "setmetatable({}, {__newindex = function() error('ni') end,"
      .. " __index = function() error('ix') end})", "print", "ts.Lock()" }
    local use = pick { "pcall(x.wait, x, 0.001)",
      "pcall(x.acquire, x); pcall(x.wait, x, 0.001); pcall(x.release, x)",
      "pcall(x.notify, x)", "pcall(x.start, x); pcall(x.join, x, 0.01)", "pcall(x.join, x)", "local _ = tostring(x)",
      "pcall(x.with, x, print)", "local _ = x.result, x.error" }
    local n = pick { "1", "1", "2" }
    emit(ctx.ind, "pcall(function() local x = " .. ctor .. "; debug.setuservalue(x, " .. uv .. ", " .. n
      .. "); collectgarbage(); collectgarbage(); " .. use .. " end)")
    return
  end
  if r <= 3 then
    local mm = pick { "__gc", "__close", "__tostring", "__index", "__newindex", "__call", "__len", "__eq",
      "__name", "__gc", "__close" }
    local victim = pick { p, pick(pool).expr, "1", "nil", "{}", "'x'", "io.stdout", "ts.current_thread()",
      "ts.Lock()", "ts.Event()", "T[1]", "print" }
    emit(ctx.ind, "pcall(function() local m = getmetatable(" .. p .. "); local f = type(m) == 'table' and rawget(m, '"
      .. mm .. "'); if f then f(" .. victim .. ", " .. value_expr() .. ", " .. value_expr() .. ") end end)")
  elseif r == 4 then
    emit(ctx.ind, "pcall(function() local m = getmetatable(" .. p .. "); for _, f in pairs(m) do pcall(f, "
      .. pick { p, pick(pool).expr, "{}", "1" } .. ") end end)")
  elseif r == 5 then
    -- a fresh object, used, then its metatable swapped or removed, then collected
    local ctor = pick { "ts.Lock()", "ts.RLock()", "ts.Semaphore(2)", "ts.BoundedSemaphore(1)", "ts.Event()",
      "ts.Condition()", "ts.Condition(ts.Lock())", "ts.Barrier(2)" }
    local use = pick { "pcall(x.acquire, x)", "pcall(x.set, x)", "pcall(x.wait, x, 0.001)", "local _ = tostring(x)",
      "pcall(x.acquire, x); pcall(x.release, x)" }
    emit(ctx.ind, "pcall(function() local x = " .. ctor .. "; " .. use .. "; debug.setmetatable(x, "
      .. pick { "nil", "{}", "getmetatable(ts.Event())", "getmetatable(ts.Lock())", "{__gc = print}" }
      .. ") end); collectgarbage(); collectgarbage()")
  else
    emit(ctx.ind, "pcall(function() local m = getmetatable(" .. p .. "); m.__index = " .. pick { "nil", "{}", "print",
      "m.__index" } .. " end)")
  end
end

local function s_alloc(ctx)
  local r = rand(6)
  if r <= 2 then
    local n = pick { "10", "1000", "100000", "1000000", "10000000", "300000000", "2^40",
      "-1", "math.maxinteger" }
    local line = "local s = string.rep('x', " .. n .. "); G.len = #s"
    if chance(0.8) then emit(ctx.ind, "pcall(function() " .. line .. " end)")
    else emit(ctx.ind, "do " .. line .. " end") end
  elseif r <= 4 then
    emit(ctx.ind, "pcall(function()")
    emit(ctx.ind + 1, "local t = {}")
    emit(ctx.ind + 1, "for i = 1, " .. pick { "100", "10000", "100000" } .. " do t[i] = {i} end")
    emit(ctx.ind + 1, "G.big = " .. (chance(0.5) and "t" or "nil"))
    emit(ctx.ind, "end)")
  elseif r == 5 then
    emit(ctx.ind, "pcall(function() local t = {} for i = 1, 64 do t[i] = string.rep(tostring(i), 4096) end"
      .. " G.s = table.concat(t) end)")
  else
    emit(ctx.ind, "pcall(string.rep, 'ab', " .. pick { "2^31", "2^62", "1e10" } .. ", ',')")
  end
end

local deep_lua = chance(0.06)   -- Lua "stack overflow" (200k frames): at most once
local function s_recurse(ctx)
  local r = rand(8)
  if r <= 2 and not deep_lua then r = rand(3, 8) end
  if r <= 2 then
    deep_lua = false
    emit(ctx.ind, "pcall(function() local function f(n) return 1 + f(n + 1) end return f(1) end)")
  elseif r == 3 then
    emit(ctx.ind, "pcall(function() local function f(n) return pcall(f, n + 1) end return f(1) end)")
  elseif r == 4 then
    local lk = pool_of(function(k) return k == "RLock" or k == "Condition" end)
    if #lk == 0 then
      emit(ctx.ind, "pcall(function() local function f() return coroutine.wrap(f)() end return f() end)")
    else
      local p = pick(lk).expr
      emit(ctx.ind, "pcall(function() local function f(n) return " .. p .. ":with(f, n + 1) end return f(1) end)")
    end
  elseif r == 5 then
    emit(ctx.ind, "pcall(function() local function f() return coroutine.wrap(f)() end return f() end)")
  elseif r == 6 then
    emit(ctx.ind, "pcall(function() local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k)"
      .. " return s[k .. 'x'] end return t.a end)")
  elseif r == 7 then
    emit(ctx.ind, "pcall(function() local function f(s) return (string.gsub(s, '.', f)) end return f('ab') end)")
  else
    emit(ctx.ind, "pcall(function() local t = setmetatable({}, {__tostring = function(s) return tostring(s) end})"
      .. " return tostring(t) end)")
  end
end

local function s_gc(ctx)
  local r = rand(10)
  if r <= 5 then
    emit(ctx.ind, "collectgarbage()")
  elseif r <= 7 then
    emit(ctx.ind, "collectgarbage(" .. pick { "'step'", "'count'", "'incremental'", "'generational'",
      "'isrunning'", "'step', 1000" } .. ")")
  elseif r == 8 then
    -- a primitive held or waited on, then dropped
    emit(ctx.ind, "pcall(function() " .. pick { "ts.Lock():acquire()", "ts.RLock():acquire()",
      "ts.Semaphore(0):release()", "ts.Condition(ts.Lock())", "ts.Barrier(2):abort()",
      "ts.Event():wait(0.001)", "ts.Condition(ts.Lock()):acquire()" } .. " end); collectgarbage()")
  elseif r == 9 then
    -- a finalizer that calls tsbox
    local body = pick { "ts.yield()", "ts.sleep(0.001)", "error('gc boom')", "ts.check(false, 'in gc')",
      "print('gc')", "ts.spawn(print)", "ts.Lock():acquire()", "coroutine.yield()", "collectgarbage()" }
    if #pool > 0 and chance(0.5) then
      local p = pick(pool)
      body = p.expr .. ":" .. pick(METHOD_NAMES[p.kind]) .. "(" .. small_time() .. ")"
    end
    emit(ctx.ind, "setmetatable({}, {__gc = function() " .. body .. " end})")
    if chance(0.5) then emit(ctx.ind, "collectgarbage()") end
  else
    emit(ctx.ind, "do local x <close> = setmetatable({}, {__close = function() "
      .. pick { "ts.yield()", "error('close boom')", "ts.sleep(0.001)", "collectgarbage()" } .. " end}) end")
  end
end

local function s_spawn(ctx)
  if ctx.depth >= 3 then return stmt(ctx) end
  local r = rand(10)
  if r <= 5 then
    emit(ctx.ind, "pcall(function()")
    emit(ctx.ind + 1, "local t = ts.spawn(function(...)")
    local c = sub(ctx, 2); c.main = false; c.daemon = false
    block(c, rand(1, 3))
    emit(ctx.ind + 1, "end" .. (chance(0.3) and (", " .. value_expr()) or "") .. ")")
    if chance(0.6) then emit(ctx.ind + 1, "t:join(" .. args_of(timeout_expr(false)) .. ")") end
    emit(ctx.ind, "end)")
  elseif r <= 7 then
    emit(ctx.ind, "pcall(ts.spawn, " .. pick { "nil", "42", "{}", "'f'", "setmetatable({}, {__call = print})",
      "print, 1, 2", "error, 'spawned error'", "ts.yield", "coroutine.yield", "ts.current_thread" } .. ")")
  elseif r == 8 then
    emit(ctx.ind, "pcall(function() ts.Thread{target = " .. pick { "print", "nil", "42", "error" }
      .. ", args = " .. pick { "{1, 2}", "42", "nil", "{n = 5}",
        "setmetatable({}, {__index = function() error('ai') end})",
        "{nil, nil, 3}" } .. ", name = " .. name_expr() .. ", daemon = " .. value_expr() .. "}:start() end)")
  elseif r == 9 then
    emit(ctx.ind, "pcall(ts.Thread, " .. pick { "nil", "{}", "42", "'x'", "print",
      "setmetatable({}, {__index = function() error('field boom') end})", "{target = print, args = {}, extra = 1}" }
      .. ")")
  else
    emit(ctx.ind, "pcall(function() for _ = 1, " .. rand(2, 40)
      .. " do ts.spawn(function() G.n = G.n + 1 end) end end)")
  end
end

local function s_ctor(ctx)
  -- constructor abuse
  local ctor = pick { "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier" }
  local a
  local r = rand(4)
  if r == 1 then a = args_of(value_expr(), name_expr())
  elseif r == 2 then a = count_expr() .. ", " .. name_expr()
  elseif r == 3 then
    a = "{" .. pick { "value", "parties", "lock", "name", "timeout", "action" } .. " = " .. value_expr() .. ", name = "
      .. name_expr() .. "}"
  else a = args_of(count_expr(), value_expr(), timeout_expr(false), name_expr()) end
  local line = "local x = ts." .. ctor .. "(" .. a .. "); G.last = tostring(x)"
  if chance(0.85) then emit(ctx.ind, "pcall(function() " .. line .. " end)")
  else emit(ctx.ind, "do " .. line .. " end") end
end

local function s_misc(ctx)
  emit(ctx.ind, pick {
    "local _ = ts.enumerate(), ts.active_count(), ts.get_ident(), ts.main_thread()",
    "G.last = tostring(ts.current_thread())",
    "for _, p in ipairs(P) do G.last = tostring(p) end",
    "ts.outcome(" .. value_expr() .. ")",
    "pcall(ts.outcome, " .. value_expr() .. ", " .. value_expr() .. ")",
    "G.n = G.n + 1",
    "local n = G.n; ts.yield(); G.n = n + 1",
    "pcall(print, 'n', G.n)",
    "if G.local_ then G.local_.x = " .. value_expr() .. " end",
    "local _ = ts.current_thread().name .. ''",
    "pcall(ts.check, false, " .. value_expr() .. ")",
    "local _ = #ts.enumerate()",
    "local _ = pcall(ts._raise, " .. value_expr() .. ", " .. value_expr() .. ", " .. value_expr() .. ")",
  })
end

local function s_toolbox(ctx)
  if not has_toolbox then return stmt(ctx) end
  local r = rand(10)
  local q = pool_of(function(k) return k == "Queue" end)
  local tp = pool_of(function(k) return k == "ThreadPool" end)
  if r <= 3 and #tp > 0 and ctx.depth < 3 then
    local p = pick(tp).expr
    emit(ctx.ind, "pcall(function()")
    emit(ctx.ind + 1, "F[#F % 6 + 1] = " .. p .. ":submit(function(...)")
    local c = sub(ctx, 2); c.main = false; c.daemon = false
    block(c, rand(1, 3))
    if chance(0.5) then emit(ctx.ind + 2, "return " .. value_expr()) end
    emit(ctx.ind + 1, "end" .. (chance(0.3) and (", " .. value_expr()) or "") .. ")")
    emit(ctx.ind, "end)")
  elseif r == 4 and #tp > 0 then
    local p = pick(tp).expr
    emit(ctx.ind, "pcall(" .. p .. ".map, " .. p .. ", " .. pick { "function(x) return x end", "tostring",
      "error", "function(x) ts.sleep(0.001) return x end", "42" } .. ", " .. pick { "{1, 2, 3}", "{}", "nil", "{n = 3}",
      "'abc'" } .. ")")
  elseif r <= 6 then
    local f = "F[" .. rand(1, 6) .. "]"
    local m = pick { "result(" .. args_of(timeout_expr(raw_ok(ctx))) .. ")", "exception(" .. small_time() .. ")",
      "done()", "cancel()", "running()", "add_done_callback(" .. pick { "print", "error", "42" } .. ")" }
    protect(ctx, "local _ = " .. f .. ":" .. m)
  elseif r <= 8 and #q > 0 then
    local qq = pick(q).expr
    if chance(0.5) then
      emit(ctx.ind, "pcall(function() for i = 1, " .. rand(1, 5) .. " do " .. qq .. ":put(i, true, "
        .. small_time() .. ") end end)")
    else
      emit(ctx.ind, "pcall(function() while true do local v = " .. qq .. ":get(true, " .. small_time()
        .. "); pcall(" .. qq .. ".task_done, " .. qq .. "); G.v = v end end)")
    end
  elseif r == 9 then
    emit(ctx.ind, "pcall(function() local t = ts.Timer(" .. pick { small_time(), "0", "-1", "0/0", "'x'", "TO(1)" }
      .. ", " .. pick { "print", "function() G.n = G.n + 1 end", "error", "nil", "ts.yield" } .. "); t:start(); "
      .. (chance(0.5) and "t:cancel(); " or "") .. "t:join(" .. small_time() .. ") end)")
  else
    emit(ctx.ind, "pcall(function() " .. pick {
      "local q = ts.Queue(" .. count_expr() .. "); q:put(1, false); q:put(2, false)",
      "local q = ts.LifoQueue(); q:put(nil); G.v = q:get()",
      "local q = ts.PriorityQueue(); q:put({2, 'b'}); q:put({1, 'a'}); q:put(" .. value_expr() .. "); G.v = q:get()",
      "local p <close> = ts.ThreadPool(" .. count_expr() .. "); p:submit(print, 1)",
      "local p = ts.ThreadPool(2); p:shutdown(); p:submit(print)",
      "G.local_ = ts.thread_local(" .. pick { "nil", "{x = 1}", "42" } .. ")",
      "ts.shared(" .. value_expr() .. ")",
      "local _ = ts.wait(F, " .. small_time() .. ")",
      "for f in ts.as_completed(F, " .. small_time() .. ") do G.v = f end",
    } .. " end)")
  end
end

local function s_loop(ctx)
  if ctx.depth >= 3 then return stmt(ctx) end
  emit(ctx.ind, "for _ = 1, " .. rand(1, 4) .. " do")
  block(sub(ctx), rand(1, 3))
  emit(ctx.ind, "end")
end

-- Metatable tricks on arguments and debug library misuse: lengths and
-- fields from metamethods, named-field tables that raise, objects given
-- another class's metatable (Thread, file handles included), the registry
-- and tsbox's closures edited behind its back, binary chunks.
local function s_debug(ctx)
  local r = rand(7)
  if r == 1 then
    local n = pick { "4294967295", "2^31", "2^31 - 1", "-1", "3", "1e6", "math.maxinteger", "0/0", "'x'" }
    local idx = pick { "nil", "function(_, i) return i end", "function() error('args index') end",
      "function() ts.yield() return 1 end" }
    emit(ctx.ind, "pcall(function() local a = setmetatable({}, {__len = function() return " .. n
      .. " end, __index = " .. idx .. "}); local t = ts.Thread{target = function(...) return select('#', ...) end,"
      .. " args = a}; t:start(); t:join(" .. small_time() .. ") end)")
  elseif r == 2 then
    local ctor = pick { "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier",
      "Thread", "Queue" }
    local mt = pick { "{__index = function() error('named boom') end}",
      "{__index = function(_, k) if k == 'value' or k == 'parties' then return 2 end end}",
      "{__index = function() ts.yield() end}", "{__index = function() return setmetatable({}, {}) end}" }
    emit(ctx.ind, "pcall(function() local x = ts." .. ctor .. "(setmetatable({}, " .. mt
      .. ")); local _ = tostring(x) end)")
  elseif r == 3 then
    local from = pick { "ts.Lock()", "ts.RLock()", "ts.Semaphore(1)", "ts.Event()", "ts.Condition()",
      "ts.Barrier(2)", "ts.Thread{target = print}", "ts.current_thread()", pick(pool).expr }
    local to = pick { "ts.Lock()", "ts.Event()", "ts.Barrier(2)", "ts.Condition()", "ts.BoundedSemaphore(1)",
      "ts.Thread{target = print}", "io.tmpfile()", "{}", pick(pool).expr }
    local use = pick { "local _ = tostring(x)", "for _, f in pairs(getmetatable(x).__index or {}) do"
      .. " pcall(f, x, 0.001) end", "pcall(getmetatable(x).__index, x, 'name')", "pcall(x.acquire, x, true, 0.001)",
      "pcall(x.wait, x, 0.001)", "pcall(x.start, x)", "pcall(x.join, x, 0.001)" }
    emit(ctx.ind, "pcall(function() local x = " .. to .. "; debug.setmetatable(x, getmetatable(" .. from
      .. ")); " .. use .. " end)")
  elseif r == 4 then
    local what = pick { "type(v) == 'thread'", "type(v) == 'userdata'", "type(v) == 'table'", "true" }
    local junk = pick { "nil", "1", "{}", "ts.Lock()", "coroutine.create(print)", "io.stdout" }
    emit(ctx.ind, "pcall(function() local reg = debug.getregistry(); for k, v in pairs(reg) do if " .. what
      .. " and v ~= coroutine.running() and k ~= 2 and k ~= '_LOADED' then reg[k] = " .. junk
      .. " end end end); collectgarbage()")
  elseif r == 5 then
    local f = pick { "getmetatable(ts.Thread{target = print}).__index", "getmetatable(ts.Barrier(2)).__index",
      "load", "loadfile", "debug.sethook" }
    emit(ctx.ind, "pcall(function() local f = " .. f .. "; for i = 1, 3 do pcall(debug.setupvalue, f, i, "
      .. pick { "42", "nil", "{}", "'x'", "print", "1e9" } .. ") end end)")
  elseif r == 6 then
    emit(ctx.ind, "pcall(function() local d = string.dump(function() return 1 end); G.last = load(d, 'b', "
      .. pick { "'b'", "'bt'", "nil", "'t'" } .. ") or load(d:sub(1, " .. rand(1, 40) .. ") .. string.rep('\\255', "
      .. rand(1, 64) .. "), 'c', 'b') end)")
  else
    emit(ctx.ind, "pcall(function() local uv = debug.getuservalue(" .. pick { "ts.current_thread()", "T[1]",
      "ts.Thread{target = print}" } .. ", " .. pick { "1", "2" } .. "); if type(uv) == 'table' then uv."
      .. pick { "target", "args", "result", "error", "traceback" } .. " = " .. value_expr() .. " end end)")
  end
end

-- rare, very hostile
local function s_rare(ctx)
  local r = rand(8)
  if AVOID.meta and r ~= 1 and r ~= 5 then r = 5 end
  -- a hook that raises can strike inside ENTER's bookkeeping: no oracle then
  if r == 7 and oracle then r = 3 end
  if r == 1 then
    emit(ctx.ind, "if G.n % 3 == 0 then os.exit(" .. pick { "0", "1", "2", "3", "4", "true", "false" }
      .. (chance(0.5) and ", true" or "") .. ") end")
  elseif r == 2 then
    emit(ctx.ind, "debug.sethook()")
  elseif r == 3 then
    emit(ctx.ind, "debug.sethook(function() G.hook = (G.hook or 0) + 1 end, '', " .. pick { "1", "100" } .. ")")
  elseif r == 4 then
    emit(ctx.ind, "pcall(function() for _, v in pairs(debug.getregistry()) do G.last = tostring(v) end end)")
  elseif r == 5 then
    emit(ctx.ind, "local t0 = ts.time(); while ts.time() < t0 + 0.01 do G.n = G.n + 1 end")
  elseif r == 6 then
    emit(ctx.ind, "pcall(function() debug.sethook(coroutine.running(), nil) end)")
  elseif r == 8 then
    -- every coroutine reachable from the registry and from thread objects: resume, close
    emit(ctx.ind, "pcall(function()")
    emit(ctx.ind + 1, "local seen, found = {}, {}")
    emit(ctx.ind + 1, "local function scan(v, d)")
    emit(ctx.ind + 2, "if d > 3 or v == nil or seen[v] then return end")
    emit(ctx.ind + 2, "seen[v] = true")
    emit(ctx.ind + 2, "if type(v) == 'thread' then found[#found + 1] = v")
    emit(ctx.ind + 2, "elseif type(v) == 'table' then for a, b in pairs(v) do scan(a, d + 1); scan(b, d + 1) end")
    emit(ctx.ind + 2, "elseif type(v) == 'userdata' then")
    emit(ctx.ind + 3, "for i = 1, 3 do scan((debug.getuservalue(v, i)), d + 1) end")
    emit(ctx.ind + 2, "end")
    emit(ctx.ind + 1, "end")
    emit(ctx.ind + 1, "scan(debug.getregistry(), 0); scan(T, 0)")
    emit(ctx.ind + 1, "for _, co in ipairs(found) do pcall(coroutine." .. pick { "resume", "close" } .. ", co) end")
    emit(ctx.ind, "end)")
  else
    emit(ctx.ind, "pcall(function() local t = coroutine.running(); debug.sethook(t, function() error('hook boom') end,"
      .. " '', 5); for i = 1, 100 do G.n = G.n + i end end); debug.sethook()")
  end
end

-- Oracle: locks used only here, each critical section counts its holders
-- (ENTER returns a to-be-closed guard); more holders than the primitive
-- admits fails a check whose message starts with "ORACLE", which run.sh
-- reports as a failure.
local noracle = oracle and rand(1, 3) or 0
local function s_oracle(ctx)
  if noracle == 0 or ctx.depth >= 4 then return stmt(ctx) end
  local k = rand(1, noracle)
  local o = "OR[" .. k .. "]"
  local r = rand(10)
  if r <= 4 then
    emit(ctx.ind, "pcall(" .. o .. ".p.with, " .. o .. ".p, function()")
    emit(ctx.ind + 1, "local _ <close> = ENTER(" .. k .. ")")
    block(sub(ctx), rand(1, 3))
    emit(ctx.ind, "end)")
  elseif r <= 7 then
    emit(ctx.ind, "pcall(function()")
    emit(ctx.ind + 1, "local _ <close> = " .. o .. ".p:hold()")
    emit(ctx.ind + 1, "local _ <close> = ENTER(" .. k .. ")")
    block(sub(ctx), rand(1, 3))
    emit(ctx.ind, "end)")
  else
    emit(ctx.ind, "if " .. o .. ".p:acquire(true, " .. small_time() .. ") then")
    emit(ctx.ind + 1, "pcall(function()")
    emit(ctx.ind + 2, "local _ <close> = ENTER(" .. k .. ")")
    block(sub(ctx, 2), rand(1, 2))
    emit(ctx.ind + 1, "end)")
    emit(ctx.ind + 1, o .. ".p:release()")
    emit(ctx.ind, "end")
  end
end

local STMTS = {
  { 24, s_prim_call }, { 6, s_wrong_self }, { 7, s_with }, { 6, s_hold }, { 3, s_throw },
  { 5, s_sleep }, { 4, s_yield }, { 2, s_check }, { 5, s_join }, { 4, s_barrier }, { 5, s_cond },
  { 3, s_release_unowned }, { 6, s_coroutine }, { 2, s_alloc }, { 2, s_recurse }, { 3, s_gc },
  { 3, s_spawn }, { 2, s_ctor }, { 3, s_misc }, { 5, s_toolbox }, { 2, s_loop },
  { oracle and 8 or 0, s_oracle }, { AVOID.meta and 0 or 2, s_meta },
  { (AVOID.debug or oracle) and 0 or 2, s_debug },
}
local rare_rate = chance(0.15) and 0.03 or 0   -- only some scripts get the rare ones

function stmt(ctx)
  budget = budget - 1
  if rare_rate > 0 and chance(rare_rate) then return s_rare(ctx) end
  return wpick(STMTS)(ctx)
end

function block(ctx, n)
  for _ = 1, n do
    if budget <= 0 then
      emit(ctx.ind, "ts.yield()")
      return
    end
    stmt(ctx)
  end
end

---------------------------------------------------------------------------
-- The script

emit(0, "-- tsbox fuzz scenario: lua5.4 fuzz/gen.lua " .. seed)
if squeeze then emit(0, "-- fuzz-options: --max-memory 32M") end
emit(0, "-- luacheck: ignore")
emit(0, "local ts = require \"tsbox\"")
emit(0, "local OS = ts.sched() == \"os\"")
emit(0, "-- long sleeps and timeouts shrink under --sched os (real time)")
emit(0, "local function TO(x) if OS and type(x) == \"number\" and x > 0.05 then return 0.02 end return x end")
emit(0, "local G = {n = 0, flag = false, log = {}}")
emit(0, "local P, T, F, CO = {}, {}, {}, {}")
if noracle > 0 then
  emit(0, "-- oracle locks: only ever used with ENTER(k) inside their critical sections")
  emit(0, "local OR = {}")
  for k = 1, noracle do
    local c = rand(6)
    local ctor, cap
    if c == 1 then ctor = "ts.Lock('oracle-" .. k .. "')"
    elseif c == 2 then ctor = "ts.RLock('oracle-" .. k .. "')"
    elseif c == 3 then ctor = "ts.Condition(nil, 'oracle-" .. k .. "')"
    elseif c == 4 then ctor = "ts.Condition(ts.Lock(), 'oracle-" .. k .. "')"
    else
      cap = rand(1, 3)
      ctor = "ts." .. (c == 5 and "Semaphore" or "BoundedSemaphore") .. "(" .. cap .. ", 'oracle-" .. k .. "')"
    end
    emit(0, "OR[" .. k .. "] = {p = " .. ctor .. (cap and (", cap = " .. cap .. ", n = 0, g = ts.Lock()") or "")
      .. ", c = 0, what = 'oracle-" .. k .. "'}")
  end
  emit(0, "local function ENTER(k)")
  emit(1, "local o, me = OR[k], ts.get_ident()")
  emit(1, "if o.cap then   -- semaphore: count holders under a private lock")
  emit(2, "o.g:acquire(); o.n = o.n + 1; local n = o.n; o.g:release()")
  emit(2, "if n > o.cap then ts.check(false, 'ORACLE: ' .. n .. ' threads inside ' .. o.what) end")
  emit(2, "return setmetatable({}, {__close = function() o.g:acquire(); o.n = o.n - 1; o.g:release() end})")
  emit(1, "end")
  emit(1, "if o.owner ~= nil and o.owner ~= me then")
  emit(2, "ts.check(false, 'ORACLE: thread ' .. me .. ' inside ' .. o.what .. ' held by thread ' .. o.owner)")
  emit(1, "end")
  emit(1, "o.depth = (o.owner == me and o.depth or 0) + 1")
  emit(1, "o.owner = me")
  emit(1, "return setmetatable({}, {__close = function()")
  emit(2, "o.depth = o.depth - 1")
  emit(2, "if o.depth == 0 then o.owner = nil end")
  emit(1, "end})")
  emit(0, "end")
  -- oracle workers: contention loops; for exclusive locks a read-yield-write
  -- counter must not lose updates (checked in main after joining them)
  emit(0, "local function OW(k, iters, mode)")
  emit(1, "local o, ok = OR[k], 0")
  emit(1, "local function body()")
  emit(2, "local _ <close> = ENTER(k)")
  emit(2, "if not o.cap then local v = o.c; ts.yield(); o.c = v + 1; ok = ok + 1 end")
  emit(1, "end")
  emit(1, "for i = 1, iters do")
  emit(2, "local m = mode == 0 and i % 3 + 1 or mode")
  emit(2, "if m == 1 then o.p:with(body)")
  emit(2, "elseif m == 2 then local _ <close> = o.p:hold(); body()")
  emit(2, "elseif o.p:acquire(true, 0.001) then pcall(body); o.p:release() end")
  emit(2, "if i % 4 == 0 then ts.sleep(0.001) end")
  emit(1, "end")
  emit(1, "return ok")
  emit(0, "end")
  emit(0, "local OWT = {}")
end
if hostile then
  emit(0, "local function H(k)")
  emit(1, "if k == 1 then return setmetatable({}, {__tostring = function() error('tostring boom') end})")
  emit(1, "elseif k == 2 then return setmetatable({}, {__tostring = function() return {} end})")
  emit(1, "elseif k == 3 then return setmetatable({}, {__index = function() error('index boom') end})")
  emit(1, "elseif k == 4 then return setmetatable({kind = 'RuntimeError'}, {__tostring = function()"
    .. " coroutine.yield() end})")
  emit(1, "elseif k == 5 then return {kind = {}, message = 42, traceback = false}")
  emit(1, "elseif k == 6 then return setmetatable({}, {__name = 42, __metatable = false})")
  emit(1, "elseif k == 7 then return setmetatable({}, {__gc = function() error('gc boom') end})")
  emit(1, "elseif k == 8 then return string.rep('E', 100000)")
  emit(1, "elseif k == 9 then return setmetatable({}, {__call = function() return 1 end, __name = 'tsbox.Lock'})")
  emit(1, "elseif k == 10 then return setmetatable({}, {__len = function() error('len boom') end,"
    .. " __pairs = function() error('pairs boom') end, __index = function() ts.sleep(0.001) end})")
  emit(1, "elseif k == 11 then return setmetatable({kind = 'ValueError', message = setmetatable({},"
    .. " {__tostring = function() error('msg boom') end})}, {__concat = function() error('concat boom') end})")
  emit(1, "else return coroutine.create(print) end")
  emit(0, "end")
end

-- the pool
local npool = rand(3, 10)
local kinds = {}
for _, k in ipairs(KINDS_CORE) do kinds[#kinds + 1] = k end
if has_toolbox then
  for _, k in ipairs(KINDS_TOOL) do kinds[#kinds + 1] = k end
end
local tool_lines = {}
for i = 1, npool do
  local kind = pick(kinds)
  local expr = "P[" .. i .. "]"
  local nm = chance(0.5) and (", " .. string.format("%q", kind:lower() .. "-" .. i)) or ""
  local ctor
  if kind == "Lock" or kind == "RLock" or kind == "Event" then
    ctor = chance(0.2) and ("ts." .. kind .. "{name = \"p" .. i .. "\"}") or ("ts." .. kind .. "(" .. nm:sub(3) .. ")")
  elseif kind == "Semaphore" or kind == "BoundedSemaphore" then
    local v = pick { "", "0", "1", "2", "3" }
    if chance(0.2) then ctor = "ts." .. kind .. "{value = " .. (v == "" and "1" or v) .. "}"
    elseif v == "" then ctor = "ts." .. kind .. "(" .. (nm ~= "" and ("nil" .. nm) or "") .. ")"
    else ctor = "ts." .. kind .. "(" .. v .. nm .. ")" end
  elseif kind == "Condition" then
    ctor = "ts.Condition(" .. (nm ~= "" and ("nil" .. nm) or "") .. ")"
  elseif kind == "ConditionL" then
    local locks = pool_of(function(k) return k == "Lock" or k == "RLock" end)
    local l = #locks > 0 and chance(0.6) and pick(locks).expr or pick { "ts.Lock()", "ts.RLock()" }
    ctor = "ts.Condition(" .. l .. nm .. ")"
  elseif kind == "Barrier" then
    local parties = pick { "1", "2", "2", "3", "4", tostring(nthreads), tostring(nthreads + 1) }
    local action = wpick { { 50, "nil" }, { 20, "function() G.n = G.n + 1 end" },
      { 8, "function() error('action failed') end" }, { 5, "function() ts.sleep(0.001) end" },
      { 5, "function() return P[" .. i .. "]:wait(0.001) end" }, { 4, "function() coroutine.yield() end" },
      { 4, "function() P[" .. i .. "]:abort() end" }, { 4, "function() P[" .. i .. "]:reset() end" } }
    local to = wpick { { 50, "nil" }, { 30, small_time() }, { 10, "TO(1)" }, { 5, "-1" }, { 5, "0" } }
    if chance(0.25) then
      ctor = "ts.Barrier{parties = " .. parties .. ", action = " .. action .. ", timeout = " .. to .. "}"
    else
      ctor = "ts.Barrier(" .. parties .. ", " .. action .. ", " .. to .. nm .. ")"
    end
  elseif kind == "Queue" then
    ctor = "ts." .. pick { "Queue", "Queue", "LifoQueue", "PriorityQueue" } .. "("
      .. pick { "", "0", "1", "2", "5" } .. ")"
  elseif kind == "ThreadPool" then
    ctor = "ts.ThreadPool(" .. pick { "", "1", "2", "3" } .. ")"
  elseif kind == "Timer" then
    ctor = "ts.Timer(" .. small_time() .. ", function() G.n = G.n + 1 end)"
  end
  if kind == "Queue" or kind == "ThreadPool" or kind == "Timer" then
    tool_lines[#tool_lines + 1] = "  " .. expr .. " = " .. ctor
  else
    emit(0, expr .. " = " .. ctor)
  end
  pool[#pool + 1] = { kind = kind, expr = expr }
end
if #tool_lines > 0 then
  emit(0, "if ts.Queue then")
  for _, l in ipairs(tool_lines) do out[#out + 1] = l end
  emit(0, "else")
  for _, p in ipairs(pool) do
    if p.kind == "Queue" or p.kind == "ThreadPool" or p.kind == "Timer" then
      emit(1, p.expr .. " = ts.Event()   -- no toolbox: calls fail with Lua errors")
    end
  end
  emit(0, "end")
end

-- the threads' bodies
local daemon = {}
for i = 1, nthreads do
  daemon[i] = chance(0.25)
  emit(0, "local function W" .. i .. "(...)")
  local ctx = { ind = 1, depth = 0, daemon = daemon[i], main = false, inco = false, tid = i }
  block(ctx, rand(2, 12))
  if chance(0.08) then
    -- many results: the thread's result table is built after its function returns
    emit(1, "do local t = {} for j = 1, " .. pick { "1000", "50000", "200000" } .. " do t[j] = j end"
      .. " return table.unpack(t) end")
  elseif chance(0.3) then emit(1, "return " .. value_expr() .. ", ...") end
  emit(0, "end")
end

-- Memory squeeze (a few percent): fill the heap to within a margin of the
-- limit, so that some later allocation, protected or not, is the one that
-- hits it. The script asks run.sh for a 32M limit (the "fuzz-options" line
-- below) so that filling it stays cheap under ASan.
if squeeze then
  emit(0, "do")
  emit(1, "local limit, margin = 32 * 1024 * 1024, " .. pick { "16 * 1024", "256 * 1024", "1024 * 1024",
    "4 * 1024 * 1024" })
  emit(1, "G.hog = {}")
  emit(1, "local chunk = 1024 * 1024")
  emit(1, "while chunk >= 256 do")
  emit(2, "if collectgarbage('count') * 1024 + chunk * 2 < limit - margin then")
  emit(3, "G.hog[#G.hog + 1] = string.rep('m', chunk - 32) .. #G.hog")
  emit(2, "else chunk = chunk // 2 end")
  emit(1, "end")
  emit(0, "end")
end

-- main: start the threads
local main = { ind = 0, depth = 0, daemon = false, main = true, inco = false, tid = 0 }
for i = 1, nthreads do
  local args = {}
  for j = 1, rand(0, 2) do args[j] = value_expr() end
  if daemon[i] or chance(0.4) then
    emit(0, "T[" .. i .. "] = ts.Thread{target = W" .. i .. ", args = {" .. table.concat(args, ", ") .. "}, name = "
      .. string.format("%q", "w" .. i) .. (daemon[i] and ", daemon = true" or "") .. "}")
    if chance(0.9) then emit(0, "T[" .. i .. "]:start()") end
  else
    emit(0, "T[" .. i .. "] = ts.spawn(W" .. i .. (#args > 0 and (", " .. table.concat(args, ", ")) or "") .. ")")
  end
  if chance(0.2) then block(main, 1) end
end

-- oracle workers
local nworkers = noracle > 0 and rand(2, 4) or 0
local worker_of = {}
for w = 1, nworkers do
  local k = rand(1, noracle)
  worker_of[w] = k
  emit(0, "OWT[" .. w .. "] = ts.spawn(OW, " .. k .. ", " .. rand(3, 25) .. ", " .. rand(0, 3) .. ")")
end

-- main's own work
block(main, rand(1, 10))

-- joins
for i = 1, nthreads do
  if not daemon[i] and chance(0.7) then
    local to = wpick { { 50, "nil" }, { 30, small_time() }, { 10, "TO(1)" }, { 10, timeout_expr(false) } }
    if chance(0.8) then
      emit(0, "pcall(T[" .. i .. "].join, T[" .. i .. "]" .. (to ~= "nil" and (", " .. to) or "") .. ")")
    else
      emit(0, "T[" .. i .. "]:join(" .. (to ~= "nil" and to or "") .. ")")
    end
  end
end
if nworkers > 0 then
  emit(0, "do   -- oracle: no lost updates under an exclusive oracle lock")
  emit(1, "local sum, all = {}, true")
  emit(1, "for w, k in ipairs({" .. table.concat(worker_of, ", ") .. "}) do")
  emit(2, "local t = OWT[w]")
  emit(2, "if t:join(TO(30)) and t.result and math.type(t.result[1]) == 'integer' then")
  emit(3, "sum[k] = (sum[k] or 0) + t.result[1]")
  emit(2, "else all = false end")
  emit(1, "end")
  emit(1, "for k, n in pairs(sum) do")
  emit(2, "if all and not OR[k].cap and OR[k].c ~= n then")
  emit(3, "ts.check(false, 'ORACLE: ' .. OR[k].what .. ' counted ' .. OR[k].c .. ' of ' .. n .. ' increments')")
  emit(2, "end")
  emit(1, "end")
  emit(0, "end")
end
if chance(0.5) then emit(0, "ts.outcome(G.n % 5, G.flag)") end
if chance(0.3) then emit(0, "print('done', G.n)") end

---------------------------------------------------------------------------
-- A few percent: deliberately malformed

local text = table.concat(out, "\n") .. "\n"
if chance(0.04) then
  local r = rand(5)
  if r == 1 then
    text = text:sub(1, rand(1, #text))                       -- truncated
  elseif r == 2 then
    local n = 0
    text = text:gsub("\nend", function(s) n = n + 1; if n == 2 then return "\n" end return s end)
  elseif r == 3 then
    local at = rand(1, #text)
    text = text:sub(1, at) .. pick { " ) ", " end end ", " = = ", " [[ ", " local local ", " '\n' ", " goto x " }
      .. text:sub(at + 1)
  elseif r == 4 then
    text = text .. "\nreturn )\n"
  else
    text = text:gsub("function", "fnction", 1)
  end
end
io.write(text)
