# make install / make uninstall: the binary, the man page, the editor
# annotations and the shell completions, installed under a temporary
# DESTDIR and PREFIX, checked there, then removed without a trace.
. "$(dirname "$0")/lib.sh"

dest=$T/dest
prefix=/opt/tsbox-test
root=$dest$prefix
tsbox_abs=$(realpath "$TSBOX")
# Install the binary under test as it is: -o keeps make from rebuilding it.
make -s -o "$tsbox_abs" install BIN="$tsbox_abs" DESTDIR="$dest" PREFIX="$prefix" > "$T/install.log" 2>&1
rc=$?
expect_rc "make install DESTDIR=... PREFIX=... succeeds" 0
want="bin/tsbox
share/bash-completion/completions/tsbox
share/man/man1/tsbox.1
share/tsbox/types/tsbox.lua
share/zsh/site-functions/_tsbox"
got=$(cd "$dest" && find . -type f | sed "s|^\./${prefix#/}/||" | sort)
if [ "$got" = "$want" ]; then pass "it installs exactly the binary, man page, annotations and completions"
else fail "it installs exactly the binary, man page, annotations and completions" "got: $got" "$(cat "$T/install.log")"; fi

# The installed binary, from PATH, as every printed replay command calls it.
bin=$root/bin
if [ -x "$bin/tsbox" ]; then
  PATH=$bin:$PATH tsbox --version > "$T/out" 2> "$T/err"; rc=$?
  expect_out "the installed tsbox --version says deterministic" "linked statically, fixed addresses): deterministic"
  lua overdraw.lua <<'L'
local ts = require "tsbox"
local balance = 100
local function withdraw(n)
  if balance >= n then ts.yield(); balance = balance - n end
end
local a, b = ts.spawn(withdraw, 100), ts.spawn(withdraw, 100)
a:join(); b:join()
print("balance", balance)
ts.check(balance >= 0, "overdrawn")
L
  (cd "$T" && PATH=$bin:$PATH tsbox --runs 50 --seed 1 overdraw.lua > /dev/null 2> "$T/explore")
  replay=$(sed -n 's/^ *replay: //p' "$T/explore" | head -n 1)
  case $replay in
    "tsbox --replay "*)
      (cd "$T" && PATH=$bin:$PATH sh -c "$replay" > "$T/out" 2> "$T/err"); rc=$?
      expect_rc "the printed replay command runs the installed tsbox from PATH ($replay)" 1
      expect_err "and replays the failing run" "overdrawn" ;;
    *) fail "an exploration of the installed tsbox prints a replay command" "$(cat "$T/explore")"
       fail "and replays the failing run" ;;
  esac
else
  fail "the installed tsbox is executable" "$(ls -l "$bin" 2>&1)"
fi

# The man page: lint-clean, rendered by man, and naming every option of --help.
man1=$root/share/man/man1/tsbox.1
if command -v mandoc > /dev/null; then
  if mandoc -T lint "$man1" > "$T/lint" 2>&1; then pass "the man page is mandoc -T lint clean"
  else fail "the man page is mandoc -T lint clean" "$(cat "$T/lint")"; fi
else
  skip "mandoc is not installed (the Makefile's TEST_PKGS has it)"
fi
if command -v man > /dev/null; then
  MANWIDTH=80 man -l "$man1" > "$T/man" 2> "$T/manerr"
  if grep -q "EXIT STATUS" "$T/man" && grep -q "ENVIRONMENT" "$T/man" && [ ! -s "$T/manerr" ]; then
    pass "man -l renders it without a warning"
  else fail "man -l renders it without a warning" "$(head -5 "$T/manerr")"; fi
else
  skip "man (man-db) is not installed"
fi
"$TSBOX" --help > "$T/help"
opts=$(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' "$T/help" | sed 's/^[ ,]*//' | sort -u)
missing=""
for o in $opts; do
  grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$man1" || missing="$missing $o"
done
for s in random pct dfs rr os; do
  grep -q "^\.B $s\$" "$man1" || missing="$missing sched:$s"
done
if [ -n "$opts" ] && [ -z "$missing" ]; then pass "it documents all $(echo "$opts" | wc -l) options of --help and every scheduler"
else fail "it documents every option of --help and every scheduler" "missing:$missing"; fi
version=$("$TSBOX" --version | cut -d' ' -f2)
if grep -q "^\.TH TSBOX 1 .* \"tsbox $version\"" "$man1"; then pass "its title names this version ($version)"
else fail "its title names this version ($version)" "$(grep '^\.TH' "$man1")"; fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO"; do
  grep -q "^\.SH \"*$s\"*\$" "$man1" || missing="$missing section:$s"
done
if [ -z "$missing" ]; then pass "it has the sections of a manual page"
else fail "it has the sections of a manual page" "missing:$missing"; fi

# The annotations: valid Lua, ---@meta, and every public name of the
# running binary's module, every method of its objects annotated.
types=$root/share/tsbox/types/tsbox.lua
if [ "$(head -n 1 "$types" | cut -c1-8)" = "---@meta" ]; then pass "the annotation file starts with ---@meta"
else fail "the annotation file starts with ---@meta" "$(head -n 1 "$types")"; fi
if command -v luac5.4 > /dev/null; then
  if luac5.4 -p "$types" 2> "$T/err"; then pass "it is valid Lua (luac5.4 -p)"
  else fail "it is valid Lua (luac5.4 -p)" "$(cat "$T/err")"; fi
else
  skip "luac5.4 (Debian's lua5.4) is not installed"
fi
run tools/check-types.lua "$types"
expect_rc "it annotates every function, method and field of the module (tools/check-types.lua)" 0
grep -v -E '^function (tsbox\.sleep|Queue:join)\(' "$types" > "$T/incomplete.lua"
run tools/check-types.lua "$T/incomplete.lua"
expect_rc "the check fails on annotations that lack a function" 1
expect_out "and names what they lack" "tsbox.sleep"
expect_out "down to a method" "Queue:join"

# bash completion, sourced into a plain bash, as bash-completion loads it.
bashcomp=$root/share/bash-completion/completions/tsbox
mkdir -p "$T/proj/sub" && touch "$T/proj/race.lua" "$T/proj/notes.txt"
complete_with() {
  (cd "$T/proj" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tsbox
    printf "%s\n" "${COMPREPLY[@]}"' _ "$bashcomp" "$@" | sort | tr '\n' ' ')
}
got=$(complete_with tsbox --sch)
if [ "$got" = "--sched " ]; then pass "bash completes --sch to --sched"
else fail "bash completes --sch to --sched" "got: $got"; fi
scheds=$("$TSBOX" --help | sed -n 's/.*--sched NAME *//p' | sed 's/(default)//; s/,//g' | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
got=$(complete_with tsbox --sched "")
if [ "$got" = "$scheds" ]; then pass "bash completes the scheduler names after --sched"
else fail "bash completes the scheduler names after --sched" "got: $got"; fi
got=$(complete_with tsbox -s 7 "")
if [ "$got" = "race.lua sub " ]; then pass "bash completes .lua scripts and directories, not other files"
else fail "bash completes .lua scripts and directories, not other files" "got: $got"; fi
got=$(complete_with tsbox race.lua "")
if [ "$got" = "notes.txt race.lua sub " ]; then pass "bash completes any file as a script argument"
else fail "bash completes any file as a script argument" "got: $got"; fi
got=" $(complete_with tsbox -)"
missing=""
for o in $opts; do case $got in *" $o "*) ;; *) missing="$missing $o" ;; esac; done
if [ -z "$missing" ]; then pass "bash offers every option of --help"
else fail "bash offers every option of --help" "missing:$missing"; fi

# zsh completion: it parses, and an interactive zsh (on a pseudo-terminal,
# with compinit) offers the right candidates; each one compadd is given is
# written to a file.
zshcomp=$root/share/zsh/site-functions/_tsbox
cat > "$T/complete.zsh" <<'Z'
# complete.zsh FUNCDIR DIR OUT LINE: the candidates zsh offers for LINE
# typed in DIR followed by Tab, one a line in OUT.
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)3}.dump; cd ${(q)2}"
zpty -w z "compadd() { builtin compadd -O __c \"\$@\"; print -rl -- \$__c >> ${(q)3}; builtin compadd \"\$@\"; }"
zpty -w z "$4"$'\t'
zpty -w z $'\C-u''print -r -- done > '"${(q)3}.done"
for i in {1..300}; do [[ -e $3.done ]] && break; sleep 0.1; done
zpty -d z
Z
zsh_complete() {
  rm -f "$T/zout" "$T/zout.done"
  HOME=$T timeout 60 zsh -f "$T/complete.zsh" "$(dirname "$zshcomp")" "$T/proj" "$T/zout" "$1" > /dev/null 2>&1
  [ -e "$T/zout.done" ] || echo "(zsh did not finish)"
  sort -u "$T/zout" 2> /dev/null | grep -v '^ *$' | tr '\n' ' '
}
if command -v zsh > /dev/null; then
  if zsh -n "$zshcomp" 2> "$T/err"; then pass "the zsh completion parses (zsh -n)"
  else fail "the zsh completion parses (zsh -n)" "$(cat "$T/err")"; fi
  touch "$T/proj/shard.json"
  got=$(zsh_complete "tsbox --sched ")
  if [ "$got" = "$scheds" ]; then pass "zsh completes the scheduler names after --sched"
  else fail "zsh completes the scheduler names after --sched" "got: $got"; fi
  got=$(zsh_complete "tsbox ")
  if [ "$got" = "race.lua sub " ]; then pass "zsh completes .lua scripts and directories, not other files"
  else fail "zsh completes .lua scripts and directories, not other files" "got: $got"; fi
  got=$(zsh_complete "tsbox merge ")
  if [ "$got" = "shard.json sub " ]; then pass "zsh completes .json reports after tsbox merge"
  else fail "zsh completes .json reports after tsbox merge" "got: $got"; fi
  got=" $(zsh_complete "tsbox -")"
  missing=""
  for o in $opts; do case $got in *" $o "*) ;; *) missing="$missing $o" ;; esac; done
  if [ -z "$missing" ]; then pass "zsh offers every option of --help"
  else fail "zsh offers every option of --help" "missing:$missing" "got:$got"; fi
else
  for _ in 1 2 3 4 5; do skip "zsh is not installed (the Makefile's TEST_PKGS has it)"; done
fi

# make uninstall removes exactly what install put, and nothing else.
touch "$root/bin/other-tool"
make -s uninstall DESTDIR="$dest" PREFIX="$prefix" > "$T/uninstall.log" 2>&1
rc=$?
expect_rc "make uninstall succeeds" 0
left=$(cd "$dest" && find . \( -type f -o -name '*tsbox*' \) -print | grep -v "^\./${prefix#/}\$")
if [ "$left" = "./${prefix#/}/bin/other-tool" ]; then pass "it removes every installed file and tsbox's own directory, and nothing else"
else fail "it removes every installed file and tsbox's own directory, and nothing else" "left: $left"; fi
make -s uninstall DESTDIR="$dest" PREFIX="$prefix" > "$T/uninstall.log" 2>&1
rc=$?
expect_rc "a second make uninstall finds nothing to do and succeeds" 0
finish
