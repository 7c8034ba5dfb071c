-- Hostile scripts against tsbox's own objects: lengths from metamethods,
-- metatables moved between classes, the registry edited behind tsbox's back.
-- Each used to crash the host (SPEC §6); now each is a clean Lua error or
-- simply works.
local ts = require "tsbox"
local T = require "tap"

T.test("a Thread's args with a huge __len is refused before it sizes a stack", function()
  for _, n in ipairs({ 4294967295, 2 ^ 31, 2 ^ 31 - 1, math.maxinteger, 2000000 }) do
    local args = setmetatable({}, { __len = function() return n end })
    local t = ts.Thread { target = function() end, args = args }
    T.raises(function() t:start() end, nil, "too many arguments")
  end
end)

T.test("a Thread's args with a small __len pass that many arguments", function()
  local args = setmetatable({ "a", "b", "c" }, { __len = function() return 2 end })
  local t = ts.Thread { target = function(...) return select("#", ...), ... end, args = args }
  t:start()
  t:join()
  T.same(t.result, { 2, "a", "b", n = 3 })
end)

T.test("start() called again from an args metamethod is refused", function()
  local t
  local args = setmetatable({}, { __len = function()
    local ok, e = pcall(t.start, t)
    T.ok(not ok)
    T.has(tostring(e), "threads can only be started once")
    return 0
  end })
  t = ts.Thread { target = function() end, args = args }
  t:start()
  t:join()
end)

-- Every class's metatable, given to every other tsbox object: each method
-- and __tostring must refuse the foreign object, not read it as its own.
T.test("a metatable moved to another kind of object does not confuse types", function()
  local function objects()
    return {
      Thread = ts.Thread { target = function() end },
      Lock = ts.Lock(), RLock = ts.RLock(),
      Semaphore = ts.Semaphore(1), BoundedSemaphore = ts.BoundedSemaphore(1),
      Event = ts.Event(), Condition = ts.Condition(), Barrier = ts.Barrier(2),
    }
  end
  -- Lock and RLock share one layout, as do the two semaphores.
  local family = { RLock = "Lock", BoundedSemaphore = "Semaphore" }
  local function foreign(a, b) return (family[a] or a) ~= (family[b] or b) end
  local mts = {}
  for kind, o in pairs(objects()) do mts[kind] = debug.getmetatable(o) end
  for kind, mt in pairs(mts) do
    for other, o in pairs(objects()) do
      if foreign(kind, other) then
        debug.setmetatable(o, mt)
        T.ok(not pcall(tostring, o), kind .. " tostring on a " .. other)
        local methods = type(mt.__index) == "table" and mt.__index or {}
        for name, f in pairs(methods) do
          if type(f) == "function" and name ~= "with" and name ~= "hold" then
            local ok = pcall(f, o, 0)
            T.ok(not ok, ("%s.%s on a %s"):format(kind, name, other))
          end
        end
      end
    end
  end
end)

-- io checks a file by its metatable alone: a tsbox object dressed as a file
-- would be read as a FILE, so a file's metatable stays with files.
T.test("a file's metatable cannot be given to anything else, nor taken from a file", function()
  local f = io.tmpfile()
  local fmt = debug.getmetatable(f)
  for _, o in ipairs({ ts.Lock(), ts.Thread { target = print }, ts.Event() }) do
    T.raises(function() debug.setmetatable(o, fmt) end, nil, "a file's metatable stays with files")
    T.raises(function() debug.setmetatable(f, debug.getmetatable(o)) end, nil, "stays with files")
  end
  T.raises(function() debug.setmetatable(f, nil) end, nil, "stays with files")
  T.eq(debug.setmetatable(f, fmt), f)
  f:write("still a file")
  f:close()
end)

-- Lua's libraries and tsbox trust what the registry holds (a number stored
-- as "FILE*" or "tsbox.Lock" crashed): scripts get a read-only view.
T.test("the registry is read-only to scripts, and still readable", function()
  local ev = ts.Event()
  local t = ts.spawn(function()
    ev:wait()
    local x = {}
    for i = 1, 200 do x[i] = { i } end
    return #x
  end)
  ts.yield()
  local reg = debug.getregistry()
  T.eq(debug.getregistry(), reg)
  local n = 0
  for k, v in pairs(reg) do
    n = n + 1
    T.raises(function() reg[k] = 1 end, nil, "the registry is read-only")
    T.eq(reg[k], v)
  end
  T.ok(n > 3, "pairs sees the registry")
  T.raises(function() reg["FILE*"] = 1 end, nil, "read-only")
  T.eq(reg._LOADED.tsbox, ts)
  T.ok(io.open("/dev/null") ~= nil, "io still works")
  collectgarbage()
  collectgarbage()
  ev:set()
  T.eq(t:join(T.LIMIT), true)
  T.eq(t.result[1], 200)
end)

-- debug.setupvalue and getupvalue reach the upvalues of C closures too:
-- tsbox's __index closures must not trust theirs, and its text-only load
-- must not hand out the original load.
T.test("replacing the upvalues of tsbox's C closures gives errors, not crashes", function()
  local t = ts.Thread { target = function() end }
  local b = ts.Barrier(2)
  local methods = {}
  for i, o in ipairs({ t, b }) do
    local index = getmetatable(o).__index
    methods[i] = select(2, debug.getupvalue(index, 1))
    T.eq(debug.setupvalue(index, 1, 42), "")
  end
  T.eq(t.name, t.name)
  T.eq(t.start, nil)
  T.eq(b.parties, 2)
  T.eq(b.wait, nil)
  for i, o in ipairs({ t, b }) do debug.setupvalue(getmetatable(o).__index, 1, methods[i]) end
  T.eq(type(t.start), "function")
  -- load keeps nothing in upvalues: the original, which loads binary
  -- chunks, is out of reach
  T.eq(debug.getupvalue(load, 1), nil)
  T.eq(debug.getupvalue(loadfile, 1), nil)
  T.eq(load("return 1")(), 1)
end)

T.done()
