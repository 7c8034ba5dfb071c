# Hostile input at the command line (SPEC §6): binary scripts, damaged
# report files, out-of-range tokens, unwritable reports, signals. Each case
# used to crash, hang or lose output; each must now end with a clear
# message and SPEC's exit status.
. "$(dirname "$0")/lib.sh"

# ---- precompiled chunks ----------------------------------------------------
lua5.4 -e 'io.write(string.dump(function() print("binary ran") end))' > "$T/bin.luac"
run "$T/bin.luac"
expect_rc "a precompiled script is refused (exit 2)" 2
expect_err "a precompiled script is refused with Lua's message" "attempt to load a binary chunk"
if grep -q "binary ran" "$T/out"; then fail "a precompiled script does not run"; else pass "a precompiled script does not run"; fi
printf 'print(pcall(require, "mod"))\n' > "$T/main.lua"
cp "$T/bin.luac" "$T/mod.lua"
run "$T/main.lua"
expect_out "require beside the script refuses a binary module" "attempt to load a binary chunk"

finish
