-- outside.lua: runs that reach outside the universe. A worker cannot put
-- back an open file, a child process, a loaded C library, the locale or
-- what it read from stdin, so such a run ends its worker, as a run of its
-- own process ends. tests/workers.sh runs this with stdin holding three
-- lines: a worker that read them into its stdin buffer and went on would
-- hand the next runs the lines that, run in processes of their own, they
-- could never see.
local ts = require "tsbox"

local pick = math.random(1, 9)
local got = "-"
if pick == 1 then
  got = tostring(io.read("l"))
elseif pick == 2 then
  local f = io.tmpfile()
  f:write("kept open")
  got = "tmpfile"
elseif pick == 3 then
  got = tostring(os.setlocale(nil))
elseif pick == 4 then
  got = tostring(os.execute("exit 3"))
elseif pick == 5 then
  got = tostring(pcall(require, "tsbox_no_such_module"))
elseif pick == 6 then
  io.stdout:setvbuf("no")
  got = "unbuffered"
elseif pick == 7 then
  got = tostring(io.lines()())
elseif pick == 8 then
  os.exit(3)
end
local n = 0
local t = ts.spawn(function() n = n + 1 end)
t:join()
print("pick", pick, got)
ts.outcome(string.format("pick=%d %s n=%d %s", pick, got, n, tostring({})))
