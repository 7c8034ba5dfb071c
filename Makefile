# tsbox: a concurrency sandbox for Lua 5.4.
#   make          build ./tsbox (installs missing Debian packages first)
#   make run      build, then run scripts/barrier.lua
#   make test     build, then run the test suite
#   make asan / make tsan    the test suite under sanitizers
#   make bench    benchmarks (bench/RESULTS.md)

CC      ?= cc
LUA_PC  := lua5.4
LUA_INC := $(shell pkg-config --cflags $(LUA_PC) 2>/dev/null || echo -I/usr/include/lua5.4)
LUA_A   := $(firstword $(wildcard /usr/lib/*/liblua5.4.a /usr/lib/liblua5.4.a))
WARN    := -Wall -Wextra -Werror -pedantic -Wshadow -Wmissing-prototypes -Wstrict-prototypes
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(LUA_INC) $(CFLAGS) $(EXTRA_CFLAGS)
# liblua is linked statically into a non-PIE executable so that function
# addresses (part of Lua's string-hash seed and of tostring()) are fixed.
LDFLAGS ?=
LDLIBS  := -lpthread -lm -ldl

SRC := $(wildcard src/*.c)
BIN ?= tsbox
OBJDIR ?= build/release
OBJ := $(SRC:src/%.c=$(OBJDIR)/%.o)

.PHONY: all deps run test asan tsan valgrind bench lint fuzz clean

all: deps $(BIN)

# Install what the build and the tests need, only when something is missing.
deps:
	@if ! [ -f /usr/include/lua5.4/lua.h ] || ! command -v luacheck >/dev/null || \
	    ! command -v lua5.4 >/dev/null || ! command -v prove >/dev/null; then \
	  echo "tsbox: installing build dependencies (liblua5.4-dev lua5.4 lua-check perl)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq liblua5.4-dev lua5.4 lua-check perl >/dev/null; \
	fi

$(BIN): $(OBJ)
	$(CC) -no-pie $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJ) $(firstword $(LUA_A) -llua5.4) $(LDLIBS)

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

test: all
	@TSBOX=./$(BIN) sh tests/run.sh

asan:
	$(MAKE) deps
	$(MAKE) BIN=tsbox-asan OBJDIR=build/asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DTSBOX_SYSTEM_ALLOC" \
	  LDFLAGS="-fsanitize=address,undefined" tsbox-asan
	TSBOX=./tsbox-asan TSBOX_SANITIZER=asan sh tests/run.sh

tsan:
	$(MAKE) deps
	$(MAKE) BIN=tsbox-tsan OBJDIR=build/tsan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=thread -DTSBOX_SYSTEM_ALLOC" \
	  LDFLAGS="-fsanitize=thread" tsbox-tsan
	TSAN_OPTIONS=die_after_fork=0 TSBOX=./tsbox-tsan TSBOX_SANITIZER=tsan setarch -R sh tests/run.sh

# memcheck over the scenario scripts and two test files; the system allocator
# build, since valgrind crawls over the universe's 64 GiB arena reservation.
VG_RUNS := scripts/barrier.lua scripts/lock.lua scripts/semaphore.lua scripts/event.lua \
           scripts/condition.lua scripts/pool.lua scripts/producer_consumer.lua \
           "scripts/rlock.lua" "scripts/deadlock.lua ordered" tests/lock.lua tests/queue.lua
valgrind: deps
	$(MAKE) BIN=tsbox-vg OBJDIR=build/vg CFLAGS="-O1 -g -DTSBOX_SYSTEM_ALLOC" tsbox-vg
	@for r in $(VG_RUNS); do \
	  valgrind -q --error-exitcode=9 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite \
	    ./tsbox-vg --seed 1 $$r > /dev/null || { echo "valgrind: $$r failed"; exit 1; }; \
	  echo "valgrind: $$r clean"; \
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
	cppcheck --enable=warning,performance,portability --std=c11 --error-exitcode=1 \
	  --max-configs=1 -q -I src --suppress=missingIncludeSystem --suppress=missingInclude \
	  --suppress=toomanyconfigs src/*.c
	clang-tidy --quiet $(SRC) -- -std=c11 -D_GNU_SOURCE $(LUA_INC) -Ibuild/release 2>/dev/null
	luacheck -q scripts tests bench fuzz

bench: all
	sh bench/run.sh

clean:
	rm -rf build tsbox tsbox-asan tsbox-tsan tsbox-vg
