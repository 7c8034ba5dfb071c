# tsbox: a concurrency sandbox for Lua 5.4.
#   sh setup.sh   on a machine without make: installs make, then `make run`
#   make          build ./tsbox (installs missing Debian packages first)
#   make run      build, then run scripts/barrier.lua
#   make test     build, then run the test suite (installs what the tests need)
#   make asan / make tsan    the test suite under sanitizers
#   make install  install under PREFIX (default /usr/local; DESTDIR too)
#   make uninstall  remove exactly what `make install` put there
#   make bench    benchmarks (bench/RESULTS.md)
#   make lint     cppcheck, clang-tidy and luacheck
#   make fresh-check   the README's set-up block on a fresh minimal Debian root
#   make readme-check  the README's samples against ./tsbox; make readme rewrites them
#   make timeline-png  docs/timeline.png, the README's picture, from ./tsbox

CC      ?= cc
LUA_PC  := lua5.4
LUA_INC := $(shell pkg-config --cflags $(LUA_PC) 2>/dev/null || echo -I/usr/include/lua5.4)
WARN    := -Wall -Wextra -Werror -pedantic -Wshadow -Wmissing-prototypes -Wstrict-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(LUA_INC) $(CFLAGS) $(EXTRA_CFLAGS)
# liblua is linked statically into a non-PIE executable so that function
# addresses (part of Lua's string-hash seed and of tostring()) are fixed.
# The executable exports Lua's C API (src/exports.dynlist) for C modules.
# There is no fallback to the shared library: a build that cannot link
# liblua5.4.a fails (see the link rule).
LDFLAGS ?=
LDLIBS  := -lpthread -lm -ldl

SRC := $(wildcard src/*.c)
BIN ?= tsbox
OBJDIR ?= build/release
OBJ := $(SRC:src/%.c=$(OBJDIR)/%.o)

.PHONY: all deps deps-test run test install uninstall asan tsan valgrind bench lint fuzz fresh-check readme readme-check timeline-png clean FORCE

all: $(BIN)

# Debian packages: BUILD_PKGS to build tsbox, TEST_PKGS for the test suite
# (prove from perl, python3 for the JSON checks, lua5.4 as the plain-Lua
# baseline, lua-filesystem as a Debian C module that `require` must load,
# mandoc to lint the man page, zsh to load the zsh completion, chromium for
# the timeline page's browser test). Installed only
# when missing, and always announced. TSBOX_NO_BROWSER=1 leaves chromium
# out; the browser test then says "# SKIP".
BUILD_PKGS := make gcc libc6-dev liblua5.4-dev
TEST_PKGS  := perl python3 lua5.4 lua-filesystem mandoc zsh $(if $(TSBOX_NO_BROWSER),,chromium)
deps:
	@sh tools/need-pkgs.sh $(BUILD_PKGS)
deps-test: deps
	@sh tools/need-pkgs.sh $(TEST_PKGS)

# The path of liblua5.4.a, looked up when the link runs (after `deps` may
# have installed it), kept in a file that changes only when the path does:
# the binary relinks when the way Lua is linked would change.
$(OBJDIR)/lua-link: FORCE | $(OBJDIR)
	@a=$$(ls /usr/lib/*/liblua5.4.a /usr/lib/liblua5.4.a 2>/dev/null | head -n 1); \
	if [ -z "$$a" ]; then \
	  echo "tsbox: liblua5.4.a not found: install liblua5.4-dev (tsbox links Lua statically, for determinism, and does not fall back to the shared library)" >&2; \
	  exit 1; \
	fi; \
	[ "$$(cat $@ 2>/dev/null)" = "$$a" ] || echo "$$a" > $@

$(BIN): $(OBJ) $(OBJDIR)/lua-link src/exports.dynlist
	$(CC) -no-pie $(ALL_CFLAGS) $(LDFLAGS) -Wl,--dynamic-list=src/exports.dynlist -o $@.tmp $(OBJ) $$(cat $(OBJDIR)/lua-link) $(LDLIBS)
	@if ldd $@.tmp 2>/dev/null | grep -q liblua; then \
	  echo "tsbox: $@ would load liblua dynamically: refusing (runs would not be reproducible)" >&2; \
	  rm -f $@.tmp; exit 1; \
	fi
	@mv $@.tmp $@

$(OBJ): | deps
$(OBJDIR)/%.o: src/%.c src/*.h | $(OBJDIR)
	$(CC) -fno-pie $(ALL_CFLAGS) -I$(OBJDIR) -c -o $@ $<

# The Lua half of the toolbox and the timeline page are compiled in as byte arrays.
$(OBJDIR)/tsbox.o: $(OBJDIR)/toolbox_lua.h
$(OBJDIR)/trace.o: $(OBJDIR)/timeline_html.h
$(OBJDIR)/toolbox_lua.h: src/toolbox.lua | $(OBJDIR)
	{ echo 'static const unsigned char toolbox_lua[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '};'; } > $@
$(OBJDIR)/timeline_html.h: src/timeline.html | $(OBJDIR)
	{ echo 'static const unsigned char timeline_html[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0x00};'; } > $@

$(OBJDIR):
	mkdir -p $@

run: all
	./$(BIN) scripts/barrier.lua

# Installation: each line of INSTALL_FILES is SOURCE:DESTINATION:MODE, the
# destination relative to $(DESTDIR)$(PREFIX); uninstall removes exactly
# those files, then the directory of tsbox's own that install made.
PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL_FILES := \
  $(BIN):bin/tsbox:755 \
  docs/tsbox.1:share/man/man1/tsbox.1:644 \
  types/tsbox.lua:share/tsbox/types/tsbox.lua:644 \
  tools/completion/tsbox.bash:share/bash-completion/completions/tsbox:644 \
  tools/completion/_tsbox:share/zsh/site-functions/_tsbox:644
install: all
	@for f in $(INSTALL_FILES); do \
	  src=$${f%%:*}; rest=$${f#*:}; dst="$(DESTDIR)$(PREFIX)/$${rest%:*}"; \
	  echo "install $$src $$dst"; \
	  install -D -m "$${rest##*:}" "$$src" "$$dst" || exit 1; \
	done
uninstall:
	@for f in $(INSTALL_FILES); do \
	  rest=$${f#*:}; dst="$(DESTDIR)$(PREFIX)/$${rest%:*}"; \
	  if [ -e "$$dst" ]; then echo "rm $$dst"; rm -f "$$dst"; fi; \
	done
	@for d in share/tsbox/types share/tsbox; do \
	  [ ! -d "$(DESTDIR)$(PREFIX)/$$d" ] || rmdir "$(DESTDIR)$(PREFIX)/$$d" 2> /dev/null || true; \
	done

test: deps-test all
	@TSBOX=./$(BIN) sh tests/run.sh

asan:
	$(MAKE) deps-test
	$(MAKE) BIN=tsbox-asan OBJDIR=build/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DTSBOX_SYSTEM_ALLOC" \
	  LDFLAGS="-fsanitize=address,undefined" tsbox-asan
	@# Leaks are `make valgrind`'s to find: LeakSanitizer's notes on the threads
	@# an os.exit leaves behind would land in the stderr an explorer quotes.
	ASAN_OPTIONS=detect_leaks=0 TSBOX=./tsbox-asan TSBOX_SANITIZER=asan sh tests/run.sh

tsan:
	$(MAKE) deps-test
	$(MAKE) BIN=tsbox-tsan OBJDIR=build/tsan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=thread -DTSBOX_SYSTEM_ALLOC" \
	  LDFLAGS="-fsanitize=thread" tsbox-tsan
	TSAN_OPTIONS=die_after_fork=0 TSBOX=./tsbox-tsan TSBOX_SANITIZER=tsan setarch -R sh tests/run.sh
	@# The explorer's workers need the arena: a build that keeps it (mapped
	@# where ThreadSanitizer leaves room) checks their threads, pool and
	@# restore; a report aborts the worker, and the comparison fails.
	$(MAKE) BIN=tsbox-tsan-arena OBJDIR=build/tsan-arena CC=clang \
	  CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" tsbox-tsan-arena
	TSAN_OPTIONS="die_after_fork=0 halt_on_error=1" TSBOX=./tsbox-tsan-arena \
	  TSBOX_SANITIZER=tsan-arena setarch -R bash tests/workers.sh

# memcheck over the scenario scripts and two test files; the system allocator
# build, since valgrind crawls over the universe's 64 GiB arena reservation.
VG_RUNS := scripts/barrier.lua scripts/lock.lua scripts/semaphore.lua scripts/event.lua \
           scripts/condition.lua scripts/pool.lua scripts/producer_consumer.lua \
           "scripts/rlock.lua" "scripts/deadlock.lua ordered" tests/lock.lua tests/queue.lua
# Failing runs that draw (--explain), search (--minimize) or sample (pos).
VG_FAILING := "--explain scripts/race.lua" "--race --explain tests/race/racy_lazy_init.lua" \
              "--explain --replay d:q1 scripts/deadlock.lua" "--sched pos scripts/race.lua" \
              "--minimize --replay d:q1:9.1 tests/explain/lost_update.lua"
valgrind: deps-test
	$(MAKE) BIN=tsbox-vg OBJDIR=build/vg CFLAGS="-O1 -g -DTSBOX_SYSTEM_ALLOC" tsbox-vg
	@for r in $(VG_RUNS); do \
	  valgrind -q --error-exitcode=9 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite \
	    ./tsbox-vg --seed 1 $$r > /dev/null || { echo "valgrind: $$r failed"; exit 1; }; \
	  echo "valgrind: $$r clean"; \
	done
	@for r in $(VG_FAILING); do \
	  valgrind -q --error-exitcode=9 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite \
	    ./tsbox-vg --seed 4 $$r > /dev/null 2>&1; rc=$$?; \
	  [ $$rc = 1 ] || [ $$rc = 3 ] || { echo "valgrind: $$r failed (exit $$rc)"; exit 1; }; \
	  echo "valgrind: $$r clean (it fails, as it should)"; \
	done

# Random scenario scripts under the sanitizer build (fuzz/README).
N ?= 200
fuzz: deps
	$(MAKE) BIN=tsbox-asan OBJDIR=build/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DTSBOX_SYSTEM_ALLOC" \
	  LDFLAGS="-fsanitize=address,undefined" tsbox-asan
	TSBOX=./tsbox-asan sh fuzz/run.sh $(N)

# Static analysis: cppcheck and a small clang-tidy check set, then luacheck.
lint: deps
	@sh tools/need-pkgs.sh cppcheck clang-tidy lua-check
	cppcheck --enable=warning,performance,portability --std=c11 --error-exitcode=1 \
	  --max-configs=1 -q -I src --suppress=missingIncludeSystem --suppress=missingInclude \
	  --suppress=toomanyconfigs src/*.c
	clang-tidy --quiet $(SRC) -- -std=c11 -D_GNU_SOURCE $(LUA_INC) -Ibuild/release 2>/dev/null
	luacheck -q scripts tests bench fuzz tools types

bench: deps-test all
	sh bench/run.sh

# The README's set-up block, line by line, on a fresh minimal Debian 12 root
# (debootstrap, cached under $$TMPDIR); then static linking and determinism.
fresh-check:
	sh tools/fresh-check.sh

# The README's samples: each "$ command" of a block marked <!-- readme-check -->
# is run and its output compared (tools/readme.py says what is normalised).
# readme-check fails listing the samples that differ; readme rewrites them.
# tests/readme.sh runs the check in `make test`.
readme: all
	@sh tools/need-pkgs.sh python3
	python3 tools/readme.py --write --tsbox ./$(BIN) README.md
readme-check: all
	@sh tools/need-pkgs.sh python3
	python3 tools/readme.py --tsbox ./$(BIN) README.md

timeline-png: all
	@sh tools/need-pkgs.sh chromium
	TSBOX=./$(BIN) sh tools/timeline-png.sh

clean:
	rm -rf build tsbox tsbox-asan tsbox-tsan tsbox-tsan-arena tsbox-vg tsbox.tmp
