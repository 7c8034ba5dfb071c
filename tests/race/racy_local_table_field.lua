-- expect: race field "savings" of account (table created at tests/race/racy_local_table_field.lua:4)
-- A field of a local table, updated by two threads.
local ts = require "tsbox"
local account = { savings = 100 }
local function deposit() account.savings = account.savings + 10 end
local a, b = ts.spawn(deposit), ts.spawn(deposit)
a:join(); b:join()
print(account.savings)
