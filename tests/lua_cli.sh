# The lua interpreter's habits (SPEC §2: where SPEC is silent, as `lua`
# does): -e repeated and followed by a script, `arg`, -l, LUA_INIT and -E,
# -W, stdin as the script, and the interactive prompt (-i). Where tsbox
# should behave as lua, the check runs lua5.4 too and compares.
. "$(dirname "$0")/lib.sh"

have_lua=0
command -v lua5.4 > /dev/null && have_lua=1

# like_lua NAME ARGS...: tsbox and lua5.4, given the same arguments (from
# $T, with the same environment), print the same stdout and exit alike; the
# interpreter's own name aside.
like_lua() {
  name=$1; shift
  if [ "$have_lua" = 0 ]; then pass "$name # SKIP lua5.4 is not installed"; return; fi
  (cd "$T" && lua5.4 "$@") > "$T/lua.out" 2> /dev/null; lrc=$?
  (cd "$T" && "$TSBOX" -q -s 1 "$@") > "$T/out" 2> "$T/err"; rc=$?
  sed 's/lua5\.4/tsbox/g' "$T/lua.out" > "$T/lua.want"
  if cmp -s "$T/lua.want" "$T/out" && [ "$rc" = "$lrc" ]; then pass "$name"
  else fail "$name" "lua5.4 (exit $lrc): $(head -c 300 "$T/lua.want")" \
            "tsbox (exit $rc): $(head -c 300 "$T/out")" "stderr: $(head -c 300 "$T/err")"; fi
}
TSBOX=$(realpath "$TSBOX")

# -- `arg` and the order of -e chunks and the script ------------------------
lua args.lua <<'L'
local words = {}
for i = -6, #arg do words[#words + 1] = tostring(arg[i]) end
print(table.concat(words, " "), "|", ...)
L
like_lua "-e alone: arg[0] is the interpreter, the options from 1" \
  -e 'print(arg[0], arg[1], arg[2], arg[3], #arg)'
like_lua "-e then a script: the script is arg[0], the options below it, its arguments above" \
  -e 'x = 1' args.lua one two
like_lua "-e may be repeated: the chunks run in command-line order" \
  -e 'io.write("first ")' -e 'print("second")'
like_lua "the script runs after the -e chunks and sees what they set" \
  -e 'greeting = "set by -e"' -e 'print(greeting)' args.lua
run -s 3 -e 'print(arg[-1], arg[0], arg[1])' "$T/args.lua" a
expect_out "tsbox's own options stay out of arg" \
  "nil nil nil tsbox -e print(arg[-1], arg[0], arg[1]) $T/args.lua a	|	a"
run -s 3 -e 'x = 1' -e 'error("stop here")' -e 'print("not reached")'
expect_rc "an error in a -e chunk exits 1" 1
expect_err "the replay command gives every -e chunk, in order" \
  "replay: tsbox --replay r:0x3 -e 'x = 1' -e 'error(\"stop here\")' -e 'print(\"not reached\")'"
if grep -q "not reached" "$T/out"; then fail "an error in a -e chunk stops the chunks after it"
else pass "an error in a -e chunk stops the chunks after it"; fi
run -e 'print("runs")' -e 'x = = 1'
expect_rc "a syntax error in any -e chunk exits 2 (lua: 1), before any chunk runs" 2
if [ -s "$T/out" ]; then fail "no chunk runs when one cannot be loaded" "stdout: $(cat "$T/out")"
else pass "no chunk runs when one cannot be loaded"; fi

lua count.lua <<'L'
print(select("#", ...), arg[#arg])
L
run "$T/count.lua" $(seq 1 100000)
expect_out "a script takes 100000 arguments (the stack grows to hold them)" "100000	100000"
set --; for i in $(seq 1 3000); do set -- "$@" -e "x = $i"; done
run "$@" -e 'print(x)'
expect_out "3000 -e chunks run in order" "3000"
set --

# -- -l ------------------------------------------------------------------------
lua m.lua <<'L'
print("loading m", x)
return { v = "m's value" }
L
like_lua "-l mod sets global mod to require(mod)" -l m -e 'print(m.v)'
like_lua "-l g=mod sets global g instead" -l g=m -e 'print(g.v, m)'
like_lua "-l runs in order with -e" -e 'x = "before"' -l m -e 'print(m.v)'
like_lua "-l of a missing module exits 1" -l no_such_module -e 'print("not reached")'

# -- LUA_INIT, -E, LUA_PATH ---------------------------------------------------
lua init.lua <<'L'
print("init file", arg[0])
L
export LUA_INIT='print("LUA_INIT runs first", arg[0])'
like_lua "LUA_INIT runs before -e and the script" -e 'print("then -e")' args.lua
export LUA_INIT_5_4='print("LUA_INIT_5_4 wins")'
like_lua "LUA_INIT_5_4 is used instead of LUA_INIT" -e 'print("then -e")'
unset LUA_INIT_5_4
export LUA_INIT="@$T/init.lua"
like_lua "LUA_INIT=@file runs the file" -e 'print("then -e")'
like_lua "-E ignores LUA_INIT" -E -e 'print("only -e")'
export LUA_PATH="$T/nowhere/?.lua"
like_lua "LUA_PATH sets package.path" -e 'print(package.path)'
like_lua "-E ignores LUA_PATH" -E -e 'print(package.path:find("nowhere", 1, true))'
unset LUA_PATH
export LUA_INIT='x = = 1'
run -e 'print("not reached")'
expect_rc "a syntax error in LUA_INIT exits 2 (lua: 1)" 2
expect_err "a syntax error in LUA_INIT is named" "LUA_INIT:1:"
unset LUA_INIT

# -- -W and warn ------------------------------------------------------------
run -W -e 'warn("a", "b") warn("@off") warn("c")'
expect_err "-W turns warnings on, as lua prints them" "Lua warning: ab"
if grep -q "Lua warning: c" "$T/err"; then fail '@off turns warnings off again'; else pass '@off turns warnings off again'; fi
run -e 'warn("x")' -W -e 'warn("y")'
if grep -q "Lua warning: x" "$T/err"; then fail "warnings are off before -W"; else pass "warnings are off before -W"; fi
expect_err "-W acts at its place among the -e chunks" "Lua warning: y"
run -e 'warn("@on") warn("from the script")'
expect_err 'warn("@on") in a script turns warnings on, as in lua' "Lua warning: from the script"

# -- stdin as the script ------------------------------------------------------
printf 'print("from stdin", ...)\n' | "$TSBOX" > "$T/out" 2> "$T/err"; rc=$?
expect_out "no arguments and stdin not a terminal: stdin is the script" "from stdin"
printf 'print("from stdin", ...)\n' | "$TSBOX" - one > "$T/out" 2> "$T/err"
expect_out "- runs stdin as the script, with arguments" "from stdin	one"

# -- the interactive prompt -----------------------------------------------------
# prompt FILE ARGS...: feeds $T/FILE to tsbox -i ARGS.
prompt() { f=$1; shift; "$TSBOX" -i "$@" < "$T/$f" > "$T/out" 2> "$T/err"; rc=$?; }
lua session.txt <<'L'
x = 1
= x + 1
x * 10
"a", nil, 3
for i = 1, 2 do
  print("line " .. i)
end
error("boom")
print("still here")
local y = 5
print(y)
L
prompt session.txt -s 1
expect_rc "the prompt ends at end of input with exit 0" 0
expect_out "'= expr' prints its value" "> 2"
expect_out "a bare expression prints its values" "> 10"
expect_out "several values are printed as print does" "a	nil	3"
expect_out "an incomplete chunk continues on '>>' lines" ">> >> line 1"
expect_err "an error in a line is printed" "stdin:1: boom"
expect_out "an error does not end the prompt" "still here"
expect_out "a local lives for its line only, as in lua" "> nil"
if [ "$have_lua" = 1 ]; then
  # lua5.4 (with readline) echoes each line after its prompt: drop those.
  (cd "$T" && lua5.4 -i < session.txt 2> /dev/null) | sed -E 's/^(>>? )+//' | grep -v "^Lua 5" \
    | grep -vxF -f "$T/session.txt" | sed -E 's/>>? //g' | tr -d '\n' > "$T/lua.want"
  sed -E 's/>>? //g' "$T/out" | tr -d '\n' > "$T/got"
  if cmp -s "$T/lua.want" "$T/got"; then pass "the prompt's output is lua's, prompts aside"
  else fail "the prompt's output is lua's, prompts aside" "lua: $(cat "$T/lua.want")" "tsbox: $(cat "$T/got")"; fi
else
  pass "the prompt's output is lua's, prompts aside # SKIP lua5.4 is not installed"
fi

lua threads.txt <<'L'
ts = require "tsbox"
t = ts.Thread{name = "worker", target = function() ts.sleep(2); print("worker done at", ts.time()) end}
t:start()
print("started", t:is_alive())
L
prompt threads.txt -s 4 -q
expect_rc "threads started at the prompt: the run ends normally" 0
expect_out "a thread started at the prompt runs and is joined at end of input" "worker done at	2"
cp "$T/out" "$T/first"
prompt threads.txt -s 4 -q
if cmp -s "$T/first" "$T/out"; then pass "the same input and seed give the same session"
else fail "the same input and seed give the same session"; fi
# Under --sched os the prompt lets go of the GIL while it waits for a line:
# the worker prints before the next line comes (a second later).
{ echo 'local t = tsbox.spawn(function() tsbox.sleep(0.05); print("worker ran") end)'; sleep 1
  echo 'print("next line")'; } | "$TSBOX" -i --sched os -q > "$T/out" 2> "$T/err"
if [ "$(sed 's/^[> ]*//' "$T/out" | grep -v '^$' | tr '\n' ' ')" = "worker ran next line " ]; then
  pass "under --sched os threads run while the prompt waits for input"
else fail "under --sched os threads run while the prompt waits for input" "stdout: $(cat "$T/out")"; fi

printf 'tsbox.spawn(function() error("thread fails") end)\n' > "$T/fail.txt"
prompt fail.txt -s 1 -q
expect_rc "an uncaught error in a thread started at the prompt fails the run" 1
expect_err "its replay command reruns the prompt" "replay: tsbox --replay r:0x1 -i"

printf 'print("after", x)\n' > "$T/after.txt"
prompt after.txt -q -e 'x = 42'
expect_out "-i: the prompt comes after the -e chunks" "after	42"
prompt after.txt --sched dfs -q
expect_rc "-i under dfs is one run" 0
prompt after.txt --runs 3
expect_rc "-i with --runs is a usage error" 2

if command -v script > /dev/null && script -qec true /dev/null < /dev/null > /dev/null 2>&1; then
  printf 'print(6 * 7)\n' | script -qec "$TSBOX -q -s 1" /dev/null > "$T/out" 2>&1
  expect_out "no arguments on a terminal: the prompt" "> 42"
else
  pass "no arguments on a terminal: the prompt # SKIP script(1) cannot open a terminal here"
fi

# -- --help ---------------------------------------------------------------------
run --help
for word in "-e CODE" "-l [G=]MOD" "  -i " "  -E " "  -W " "  -  " "--trace" "--timeline FILE" "-V, --version" \
            "merge" "  130 " "where lua exits 1" "at most 1000000 runs" "not lua's version flag"; do
  expect_out "--help mentions '$word'" "$word"
done

finish
