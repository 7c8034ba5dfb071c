-- The reader assumes the loader has run first because it was started
-- first; nothing makes it so.
local ts = require "tsbox"

local app = ts.shared({}, "app")
local loader = ts.Thread{name = "loader", target = function()
  app.config = { port = 8080 }
end}
local reader = ts.Thread{name = "reader", target = function()
  ts.check(app.config ~= nil, "config used before it was loaded")
end}
loader:start(); reader:start(); loader:join(); reader:join()
