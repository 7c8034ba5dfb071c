# The command line: options, arguments, exit codes and error messages (SPEC §2, §6).
. "$(dirname "$0")/lib.sh"

run --help;                  expect_rc "--help exits 0" 0; expect_out "--help prints usage" "usage: tsbox"
run --version;               expect_rc "--version exits 0" 0; expect_out "--version names the version" "tsbox 0.1.0"
run < /dev/null;             expect_rc "no script, stdin not a terminal: the empty stdin runs" 0
run --no-such-option x.lua;  expect_rc "an unknown option exits 2" 2; expect_err "an unknown option is named" "unknown option '--no-such-option'"
run --seed banana -e 'x=1';  expect_rc "a bad seed exits 2" 2; expect_err "a bad seed is explained" "--seed: expected a number"
run --sched fifo -e 'x=1';   expect_rc "an unknown scheduler exits 2" 2; expect_err "an unknown scheduler is named" "unknown scheduler 'fifo'"
run --quantum 0 -e 'x=1';    expect_rc "a zero quantum exits 2" 2
run --seed;                  expect_rc "a missing option argument exits 2" 2
run --replay zz:1 -e 'x=1';  expect_rc "a malformed replay token exits 2" 2

run -e 'print(1 + 1)';       expect_rc "-e runs a chunk" 0; expect_out "-e prints" "2"
run -e 'x = = 1';            expect_rc "a syntax error exits 2" 2; expect_err "a syntax error prints Lua's message" "unexpected symbol near '='"
run "$T/none.lua";           expect_rc "a missing script exits 2" 2; expect_err "a missing script is named" "cannot open $T/none.lua"

lua args.lua <<'L'
print(arg[0] ~= nil, arg[1], arg[2], select("#", ...), ...)
L
run "$T/args.lua" one two;   expect_out "script arguments land in arg and ..." "true	one	two	2	one	two"

mkdir -p "$T/mod"
lua mod/helper.lua <<'L'
return { answer = 42 }
L
lua mod/main.lua <<'L'
print("answer", require("helper").answer)
L
run "$T/mod/main.lua";       expect_out "require finds modules beside the script" "answer	42"

run --sched rr --seed 0x2a -e 'print(tsbox == require("tsbox"), tsbox.sched(), tsbox.seed())'
expect_out "tsbox is preset and required alike; seed and sched are visible" "true	rr	42"

lua err.lua <<'L'
print("before the error")
local function inner() error("boom") end
inner()
L
run --seed 5 "$T/err.lua"
expect_rc "an error in the main chunk exits 1" 1
expect_out "output written before an error is kept" "before the error"
expect_err "the main chunk's error is printed with its position" "err.lua:2: boom"
expect_err "the error comes with a traceback" "stack traceback:"
expect_err "a failure names seed and scheduler" "(seed 0x5, sched random"
expect_err "a failure prints the replay command" "replay: tsbox --replay r:0x5 $T/err.lua"

lua thread_err.lua <<'L'
local ts = require "tsbox"
local t = ts.Thread{name = "teller-2", target = function() error("vault jammed") end}
t:start()
t:join()
local other = ts.spawn(function() return "still working" end)
other:join()
print("main goes on", other.result[1], t.error ~= nil)
L
run --seed 1 "$T/thread_err.lua"
expect_rc "an uncaught error in a thread exits 1" 1
expect_err "an uncaught error names its thread like Python" "Exception in thread teller-2:"
expect_err "the thread's error message is printed" "vault jammed"
expect_out "other threads go on after a thread's error" "main goes on	still working	true"

lua check.lua <<'L'
local ts = require "tsbox"
ts.check(1 + 1 == 3, "arithmetic is broken")
print("the run goes on")
L
run --seed 1 "$T/check.lua"
expect_rc "a failed check exits 1" 1
expect_out "a failed check lets the run go on" "the run goes on"
expect_err "a failed check names thread, position and message" "check failed in thread \"MainThread\": $T/check.lua:2: arithmetic is broken"

run --seed 1 -e 'tsbox.check(false, 42)'
expect_err "a check message may be any value, as assert's may" "(command line):1: 42"

run -e 'tsbox.Lock():acquire("yes", "no")'
expect_rc "a wrong argument type is an uncaught error" 1
expect_err "wrong argument types give Lua's standard message" "bad argument #2 to 'acquire' (number expected, got string)"

lua daemon.lua <<'L'
local ts = require "tsbox"
ts.Thread{target = function() while true do ts.sleep(1) end end, daemon = true}:start()
print("main done")
L
run --seed 1 "$T/daemon.lua"; expect_rc "daemon threads are abandoned at exit" 0

lua nondaemon.lua <<'L'
local ts = require "tsbox"
ts.spawn(function() ts.sleep(5); print("worker done at", ts.time() >= 5) end)
print("main chunk done")
L
run --seed 1 "$T/nondaemon.lua"
expect_out "the program waits for non-daemon threads" "worker done at	true"

run --sched os -e 'local ts = require "tsbox"; local t = ts.spawn(function() ts.sleep(0.01) end); print(t:join(5), ts.sched())'
expect_out "--sched os runs on real time slices" "true	os"

finish
