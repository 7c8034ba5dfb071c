-- thread_local: CPython's test_threading_local (the cases that apply to a
-- proxy table), plus tsbox's API extras.
local ts = require "tsbox"
local T = require "tap"

T.test("thread_local: a value set in one thread is invisible in the others", function()
  local mydata = ts.thread_local()
  mydata.number = 42
  local seen = {}
  T.run_bunch(3, function(i)
    seen[i] = mydata.number == nil
    mydata.number = i
  end)
  T.eq(T.count(seen, 3, function(v) return v == true end), 3)
  T.eq(mydata.number, 42, "a thread changed the main thread's value")
end)

T.test("thread_local: 10 threads each keep their own value across switches (test_derived)", function()
  local mydata = ts.thread_local()
  local bad = {}
  T.run_bunch(10, function(i)
    mydata.x = i
    for _ = 1, 5 do
      ts.sleep(0.001)
      ts.yield()
      if mydata.x ~= i then bad[#bad + 1] = i end
    end
  end)
  T.eq(#bad, 0, "a thread saw another thread's value")
end)

T.test("thread_local: the values of finished threads are collected (test_local_refs)", function()
  local n = 20
  local mydata = ts.thread_local()
  local weak = setmetatable({}, { __mode = "v" })
  do
    local threads = {}
    for i = 1, n do
      threads[i] = ts.spawn(function()
        local obj = {}
        mydata.obj = obj
        weak[i] = obj
      end)
    end
    for i = 1, n do T.join(threads[i]) end
  end
  T.await(function()
    collectgarbage()
    collectgarbage()
    return T.count(weak, n) <= 1
  end, "the finished threads' values to be collected")
end)

T.test("thread_local: defaults are copied into each thread's own table", function()
  local mydata = ts.thread_local { x = 1, list = "shared" }
  T.eq(mydata.x, 1)
  mydata.x = 2
  local seen
  T.run_bunch(1, function()
    seen = mydata.x
    mydata.x = 3
  end)
  T.eq(seen, 1)
  T.eq(mydata.x, 2)
  T.eq(mydata.list, "shared")
end)

T.test("thread_local: pairs() lists the current thread's fields only", function()
  local mydata = ts.thread_local()
  mydata.a, mydata.b = 1, 2
  local other = {}
  T.run_bunch(1, function()
    mydata.c = 3
    for k, v in pairs(mydata) do other[k] = v end
  end)
  T.eq(other.c, 3)
  T.eq(other.a, nil)
  local mine = {}
  for k, v in pairs(mydata) do mine[k] = v end
  T.eq(mine.a, 1); T.eq(mine.b, 2); T.eq(mine.c, nil)
end)

T.test("thread_local: # gives the length of the current thread's array part", function()
  local mydata = ts.thread_local()
  mydata[1], mydata[2] = "a", "b"
  T.eq(#mydata, 2)
  local n
  T.run_bunch(1, function() n = #mydata end)
  T.eq(n, 0)
end)

T.test("thread_local: setting a field to nil removes it for this thread only", function()
  local mydata = ts.thread_local()
  mydata.x = "main"
  local after
  T.run_bunch(1, function()
    mydata.x = "thread"
    mydata.x = nil
    after = mydata.x
  end)
  T.eq(after, nil)
  T.eq(mydata.x, "main")
end)

T.test("thread_local: two thread_local tables are independent", function()
  local a, b = ts.thread_local(), ts.thread_local()
  a.x = 1
  T.eq(b.x, nil)
  b.x = 2
  T.eq(a.x, 1)
end)

T.test("thread_local: works in pool workers and timers; each worker keeps its own", function()
  local mydata = ts.thread_local()
  local pool <close> = ts.ThreadPool(3)
  local fs = {}
  for i = 1, 12 do
    fs[i] = pool:submit(function()
      local me = ts.current_thread().name
      if mydata.owner == nil then mydata.owner = me end
      ts.yield()
      return mydata.owner == me
    end)
  end
  for i = 1, 12 do T.eq(fs[i]:result(), true) end
  local got
  local t = ts.Timer(0.01, function() got = mydata.owner end)
  t:start()
  T.join(t)
  T.eq(got, nil)
end)

T.test("thread_local: tostring names the thread and counts its fields", function()
  local mydata = ts.thread_local()
  mydata.a, mydata.b = 1, 2
  T.eq(tostring(mydata), '<thread_local of "MainThread" fields=2>')
  local s
  T.run_bunch(1, function() s = tostring(mydata) end)
  T.match(s, '^<thread_local of "Thread%-%d+ %(.*%)" fields=0>$')
end)

T.test("thread_local: a non-table argument is a bad argument error", function()
  T.raises(function() ts.thread_local(3) end, nil, "bad argument #1 to 'thread_local' (table expected, got number)")
end)

T.done()
