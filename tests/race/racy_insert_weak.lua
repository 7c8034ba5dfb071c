-- expect: race length of recent
-- table.insert on a table with a metatable that redirects nothing (here
-- weak values, and a __tostring) is the plain insert: two threads
-- appending unordered both read the length.
local ts = require "tsbox"
local recent = setmetatable({}, { __mode = "v", __tostring = function() return "recent" end })
local keep = {}
local function note(x)
  keep[x] = { x }
  table.insert(recent, keep[x])
end
local a, b = ts.spawn(note, "a"), ts.spawn(note, "b")
a:join(); b:join()
print(#recent)
