-- Precompiled chunks are refused everywhere a script can load code (SPEC §6:
-- a crafted binary chunk could crash Lua's VM, which does not verify them).
local T = require "tap"

local BINARY = "attempt to load a binary chunk"
local dumped = string.dump(function() return 42 end)

local function tmpfile(contents)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(contents)
  f:close()
  return path
end

T.test("string.dump still works", function()
  T.eq(type(dumped), "string")
  T.eq(dumped:sub(1, 4), "\27Lua")
end)

T.test("load refuses a binary chunk whatever mode it is given", function()
  for _, mode in ipairs({ false, "b", "bt", "t" }) do
    local f, e = load(dumped, "dumped", mode or nil)
    T.eq(f, nil, "mode " .. tostring(mode))
    T.has(e, BINARY)
  end
  local parts = { dumped:sub(1, 5), dumped:sub(6) }
  local f, e = load(function() return table.remove(parts, 1) end, "=pieces", "b")
  T.eq(f, nil)
  T.has(e, BINARY)
end)

T.test("load still runs source, with its environment", function()
  T.eq(load("return 1 + 1")(), 2)
  T.eq(load("return x", "chunk", "t", { x = 7 })(), 7)
  T.eq(load("return x", "chunk", "bt", { x = 8 })(), 8)
end)

T.test("loadfile and dofile refuse a binary file", function()
  local path = tmpfile(dumped)
  local f, e = loadfile(path, "b")
  T.eq(f, nil)
  T.has(e, BINARY)
  f, e = loadfile(path)
  T.eq(f, nil)
  T.has(e, BINARY)
  local ok, err = pcall(dofile, path)
  T.eq(ok, false)
  T.has(err, BINARY)
  os.remove(path)
end)

T.test("require refuses a binary module", function()
  local path = tmpfile(dumped)
  local dir, base = path:match("^(.*)/([^/]+)$")
  local saved = package.path
  package.path = dir .. "/?"
  local ok, err = pcall(require, base)
  package.path = saved
  os.remove(path)
  T.eq(ok, false)
  T.has(err, BINARY)
  T.has(err, "error loading module")
end)

T.test("require and dofile still load source files", function()
  local path = tmpfile("return { answer = 42 }")
  T.eq(dofile(path).answer, 42)
  local dir, base = path:match("^(.*)/([^/]+)$")
  local saved = package.path
  package.path = dir .. "/?"
  local m = require(base)
  package.path = saved
  package.loaded[base] = nil
  os.remove(path)
  T.eq(m.answer, 42)
end)

T.done()
