# finq: one plain Makefile.
#   make            build ./finq (installs missing dependencies first)
#   make demo       generate sample data, load it and print `finq info`
#   make test       unit tests, then integration tests against real data
#   make asan       the same tests with AddressSanitizer + UndefinedBehaviorSanitizer
#   make check      test + asan (what .ci/run runs)
#   make clean

CC      ?= cc
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wformat=2 -Wno-format-nonliteral -Werror
OPT     ?= -O2 -g
DUCKDB_DIR := deps/duckdb
# A system libduckdb wins over the npm copy (scripts/deps.sh decides).
DUCKDB_CFLAGS = $(if $(wildcard $(DUCKDB_DIR)/include/duckdb.h),-isystem $(DUCKDB_DIR)/include)
# (make splits $(if ...) at commas, so the rpath flags live in a variable)
DUCKDB_RPATH  := -Wl,-rpath,'$$ORIGIN/$(DUCKDB_DIR)' -Wl,-rpath,$(CURDIR)/$(DUCKDB_DIR)
DUCKDB_LIBS   = $(if $(wildcard $(DUCKDB_DIR)/libduckdb.so),-L$(DUCKDB_DIR) $(DUCKDB_RPATH)) -lduckdb
PKGS    := jansson sqlite3 zlib
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(DUCKDB_CFLAGS)
LDLIBS  += $(DUCKDB_LIBS) -ljansson -lsqlite3 -ledit -lz -lpthread -lm

SRCS      := $(sort $(wildcard src/*.c))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
OBJS      := $(SRCS:src/%.c=build/%.o)
LIB_OBJS  := $(LIB_SRCS:src/%.c=build/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_OBJS  := $(SRCS:src/%.c=build/asan/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o)
SAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)

.PHONY: all deps demo test unit integration asan check bench clean
all: finq

# The main job on sample data: generate, load, describe.
demo: finq
	./finq --db finq.duckdb demo
	./finq --db finq.duckdb info

deps: build/.deps
build/.deps: scripts/deps.sh
	@mkdir -p build
	./scripts/deps.sh
	@touch $@

build/%.o: src/%.c build/.deps $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

finq: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

TEST_CFLAGS := -Isrc -DTEST_DATA_DIR='"$(CURDIR)/tests/data"'

build/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

build/asan/%.o: src/%.c build/.deps $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

finq-asan: $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

build/asan/tests/%: tests/unit/%.c tests/unit/unit.h $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(TEST_CFLAGS) -o $@ $< $(SAN_LIB_OBJS) $(LDLIBS) -lcmocka

# Every test binary runs; the target fails at the end if any failed.
unit: $(UNIT_BINS)
	@failed=0; for t in $(UNIT_BINS); do $$t || failed=1; done; exit $$failed

integration: finq
	FINQ=$(CURDIR)/finq tests/integration/run.sh

test: unit integration

# Leaks inside libduckdb's own thread pools are not ours to fix; LSan runs
# in its own make target later. ASan+UBSan check finq's code here.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

asan: finq-asan $(SAN_UNIT_BINS)
	@failed=0; for t in $(SAN_UNIT_BINS); do $(ASAN_ENV) $$t || failed=1; done; exit $$failed
	$(ASAN_ENV) FINQ=$(CURDIR)/finq-asan tests/integration/run.sh

check: test asan

bench: finq
	bench/load.sh

clean:
	rm -rf build finq finq-asan
