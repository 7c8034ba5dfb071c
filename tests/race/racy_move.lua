-- expect: race index 1 of backup
-- table.move writes every slot it copies to: a thread reading the backup
-- while another copies a list into it races.
local ts = require "tsbox"
local list = { "a", "b", "c" }
local backup = { "old" }
local seen
local reader = ts.spawn(function() seen = backup[1] end)
local mover = ts.spawn(function() table.move(list, 1, #list, 1, backup) end)
reader:join(); mover:join()
ts.check(seen == "old", "the reader saw the copy made meanwhile: " .. seen)
