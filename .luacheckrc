-- luacheck configuration for tsbox scenario scripts, tests and benchmarks.
std = "lua54"
-- tsbox presets its module as the global `tsbox` (scripts mostly use
-- `local ts = require "tsbox"`).
read_globals = {"tsbox"}
-- Deliberately shared state in race scenarios is declared in each script
-- with an inline `-- luacheck: globals name ...` comment, so an accidental
-- global anywhere else is still reported.
max_line_length = 120
-- The editor annotations declare the module (the global `tsbox`) and
-- classes whose methods have empty bodies (and long @overload lines):
-- all of it is documentation.
files["types/tsbox.lua"] = { globals = {"tsbox"}, ignore = {"211", "212", "241", "631"} }
