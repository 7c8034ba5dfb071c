# The build: liblua is linked statically (never the shared library), and
# --version says whether the binary it runs is deterministic (SPEC §1, §7).
. "$(dirname "$0")/lib.sh"

run --version
expect_rc "--version exits 0" 0
expect_out "--version says the binary is deterministic" "linked statically, fixed addresses): deterministic"
if ldd "$TSBOX" 2> /dev/null | grep -q liblua; then
  fail "the binary does not load liblua as a shared library" "$(ldd "$TSBOX")"
else
  pass "the binary does not load liblua as a shared library"
fi

# A binary linked against the shared liblua (which the Makefile refuses to
# make) is told apart: --version reads the loaded image, not the build.
objs=$(ls build/release/*.o 2> /dev/null)
if [ -n "$objs" ] && cc -no-pie -o "$T/tsbox-shared" $objs -llua5.4 -lpthread -lm -ldl 2> /dev/null; then
  "$T/tsbox-shared" --version > "$T/out" 2> "$T/err"; rc=$?
  expect_out "--version of a binary with the shared liblua says it is not deterministic" \
    "liblua loaded as a shared library, fixed addresses): NOT deterministic"
else
  n=$((n + 1)); echo "ok $n # SKIP no release objects or shared liblua to link a counter-example"
fi

# Two runs of one seed are byte-identical, stdout and stderr.
"$TSBOX" --seed 7 scripts/race.lua > "$T/a" 2>&1
"$TSBOX" --seed 7 scripts/race.lua > "$T/b" 2>&1
if cmp -s "$T/a" "$T/b"; then pass "two runs of --seed 7 scripts/race.lua are byte-identical"
else fail "two runs of --seed 7 scripts/race.lua are byte-identical" "$(diff "$T/a" "$T/b" | head -5)"; fi

# The Makefile never falls back to -llua5.4.
if grep -n -- '-llua5.4' Makefile > /dev/null; then fail "the Makefile has no shared-library fallback" "$(grep -n -- '-llua5.4' Makefile)"
else pass "the Makefile has no shared-library fallback"; fi
finish
