-- expect: race field "open" of accounts (table created at tests/race/racy_shared_name.lua:4)
-- ts.shared(t, name) names a table in race reports, whatever it is reached through.
local ts = require "tsbox"
local book = ts.shared({ open = 0 }, "accounts")
local function open() book.open = book.open + 1 end
local a, b = ts.spawn(open), ts.spawn(open)
a:join(); b:join()
print(book.open)
