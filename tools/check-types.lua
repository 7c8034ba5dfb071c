-- check-types.lua FILE: checks the LuaLS annotation file FILE against the
-- running tsbox (run it with tsbox): every public name of the module, every
-- method of its objects and every field of its table objects must be
-- annotated, and every @param must name a parameter. Exit 1 if not.
local ts = require "tsbox"
local path = assert(arg[1], "usage: tsbox tools/check-types.lua types/tsbox.lua")
local src = assert(io.open(path)):read("a")

local module = {}
for name in src:gmatch("\nfunction tsbox%.([%w_]+)%(") do module[name] = true end
-- Constants are annotated with their values, which must be the binary's.
local values = {}
for name, expr in src:gmatch("\ntsbox%.([%w_]+) = ([^\n]+)") do
  module[name] = true
  values[name] = load("return " .. expr, "=" .. name, "t", {})()
end
for name in src:gmatch("\n%-%-%-@field ([%w_]+)") do module[name] = module[name] or false end

-- Classes: "---@class tsbox.X[: tsbox.Y]" and the ---@field lines after it;
-- methods: "function X:name(".
local classes = {}
local current
local pending = {}     -- the ---@param names since the last function
local missing = {}
local function miss(what) missing[#missing + 1] = what end
for line in src:gmatch("[^\n]*") do
  local cls, rest = line:match("^%-%-%-@class tsbox%.([%w_]+)(.*)")
  if cls then
    current = { fields = {}, methods = {}, parent = rest:match("^:%s*tsbox%.([%w_]+)") }
    classes[cls] = current
  elseif current and line:match("^%-%-%-@field") then
    local f = line:match("^%-%-%-@field %[?\"?([%w_]+)")
    current.fields[f] = true
  elseif not line:match("^%-%-%-") then
    current = nil
  end
  local params = line:match("^%-%-%-@param ([%w_.]+)")
  if params then pending[#pending + 1] = params end
  local fname, args = line:match("^function ([%w_.:]+)%(([^)]*)%)")
  if fname then
    local declared = {}
    for a in args:gmatch("[%w_.]+") do declared[a] = true end
    for _, p in ipairs(pending) do
      if not declared[p] then miss("@param " .. p .. " of " .. fname .. " (no such parameter)") end
    end
    pending = {}
  end
  local c, m = line:match("^function ([%w_]+):([%w_]+)%(")
  if c then
    classes[c] = classes[c] or { fields = {}, methods = {} }
    classes[c].methods[m] = true
  end
end
local function has(cls, kind, name)
  local c = classes[cls]
  while c do
    if c[kind][name] then return true end
    c = c.parent and classes[c.parent]
  end
  return false
end

local function public(k) return type(k) == "string" and not k:match("^_[^_]") end

-- Constructors: the module's capitalised functions; a few need arguments.
local needs = { Barrier = { 2 }, Timer = { 1, print } }
local made = {}
for k, v in pairs(ts) do
  if public(k) and not module[k] then miss("tsbox." .. k) end
  if values[k] ~= nil and values[k] ~= v then
    miss("tsbox." .. k .. " = " .. tostring(values[k]) .. " (the binary has " .. tostring(v) .. ")")
  end
  if type(v) == "function" and k:match("^%u") then
    local ok, obj = pcall(v, table.unpack(needs[k] or {}))
    if not ok then miss("an instance of tsbox." .. k .. " (" .. tostring(obj) .. ")")
    else made[#made + 1] = { k, obj } end
  end
end

-- Every method an object's metatable leads to (tables along __index, and
-- the method table of a C __index function, its first upvalue).
local function methods(obj, out)
  local mt = getmetatable(obj)
  local seen = {}
  local idx = type(mt) == "table" and rawget(mt, "__index")
  while idx and not seen[idx] do
    seen[idx] = true
    if type(idx) == "function" then
      local _, up = debug.getupvalue(idx, 1)
      idx = type(up) == "table" and up or nil
    end
    if type(idx) == "table" then
      for name, v in pairs(idx) do if type(v) == "function" then out[name] = true end end
      local m2 = getmetatable(idx)
      idx = m2 and rawget(m2, "__index")
    end
  end
  return out
end

for _, pair in ipairs(made) do
  local ctor, obj = pair[1], pair[2]
  local mt = getmetatable(obj)
  local cls = type(mt) == "table" and type(rawget(mt, "__name")) == "string" and
    rawget(mt, "__name"):match("^tsbox%.([%w_]+)$") or ctor
  if ctor:match("^%u") and ctor ~= cls and classes[ctor] then cls = ctor end
  for name in pairs(methods(obj, {})) do
    if public(name) and not has(cls, "methods", name) then miss(cls .. ":" .. name) end
  end
  if type(obj) == "table" then
    for name, v in pairs(obj) do
      if public(name) and type(v) ~= "function" and not has(cls, "fields", name) then
        miss(cls .. "." .. name .. " (field)")
      end
    end
  end
  if ctor == "ThreadPool" or ctor == "ThreadPoolExecutor" then obj:shutdown() end
end

table.sort(missing)
for _, m in ipairs(missing) do print(path .. ": not annotated or wrong: " .. m) end
print(#made .. " classes checked")
os.exit(#missing == 0 and 0 or 1)
