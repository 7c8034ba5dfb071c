-- floor.lua: the compute floor of an exploration. Plain lua5.4 runs a
-- scenario's work N times in one process, with a stand-in `tsbox` module
-- that runs each thread to its end as soon as it starts: no scheduler,
-- no switches, no locks that wait, no processes. What tsbox spends per
-- schedule beyond this is the price of owning the schedule.
--
-- usage: lua5.4 bench/floor.lua N SCRIPT [ARGS...]   (output: none)
local N = math.tointeger(tonumber(arg[1])) or error("usage: floor.lua N SCRIPT [ARGS...]")
local script = arg[2]
local args = table.move(arg, 3, #arg, 1, {})

local ts = {}
local main = { name = "MainThread" }
local current = main

local Thread = {}
Thread.__index = Thread
function Thread:start()
  local outer = current
  current = self
  self.result = table.pack(self.target(table.unpack(self.args)))
  current = outer
end
function Thread.join() end
function Thread.is_alive() return false end

function ts.Thread(o)
  return setmetatable({ target = o.target, args = o.args or {}, name = o.name or "Thread",
                        daemon = o.daemon }, Thread)
end
function ts.spawn(f, ...)
  local t = ts.Thread{ target = f, args = table.pack(...) }
  t:start()
  return t
end

local Lock = {}
Lock.__index = Lock
function Lock.acquire() return true end
function Lock.release() end
function Lock.with(_, f, ...) return f(...) end
function ts.Lock(name) return setmetatable({ name = name }, Lock) end
ts.RLock = ts.Lock

function ts.current_thread() return current end
function ts.check() end
function ts.outcome() end
function ts.time() return 0 end
function ts.sleep() end
function ts.yield() end
function ts.shared(x) return x end

package.preload.tsbox = function() return ts end
local chunk = assert(loadfile(script))
print = function() end        -- luacheck: ignore 121
for _ = 1, N do
  current = main
  arg = args                  -- luacheck: ignore 121
  chunk(table.unpack(args))
end
