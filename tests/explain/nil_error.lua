-- One thread clears a shared field another is about to use: an uncaught
-- error, whose line reads the field. tests/explain.sh draws it.
local ts = require "tsbox"

local conn = ts.shared({ handle = { open = true } }, "conn")
local user = ts.Thread{name = "user", target = function()
  ts.yield()
  return conn.handle.open
end}
local closer = ts.Thread{name = "closer", target = function()
  conn.handle = nil
end}
user:start(); closer:start(); user:join(); closer:join()
