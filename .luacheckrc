-- luacheck configuration for tsbox scenario scripts, tests and benchmarks.
std = "lua54"
-- tsbox presets its module as the global `tsbox` (scripts mostly use
-- `local ts = require "tsbox"`).
read_globals = {"tsbox"}
-- Deliberately shared state in race scenarios is declared in each script
-- with an inline `-- luacheck: globals name ...` comment, so an accidental
-- global anywhere else is still reported.
max_line_length = 120
