-- expect: race field "conn" of cache
-- Double-checked lazy initialisation: the first check is unlocked.
local ts = require "tsbox"
local cache = {}
local lock = ts.Lock("init")
local function get()
  if cache.conn == nil then
    lock:acquire()
    if cache.conn == nil then cache.conn = { open = true } end
    lock:release()
  end
  return cache.conn
end
local a, b = ts.spawn(get), ts.spawn(get)
a:join(); b:join()
print(cache.conn.open)
