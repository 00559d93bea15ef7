# finq: one plain Makefile.
#   make            build ./finq (installs missing dependencies first)
#   make demo       generate sample data, load it and serve the web UI
#   make test       unit tests, then integration tests against real data
#   make asan       the same tests with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each, then the regressions
#   make check      test + asan + fuzz (what .ci/run runs)
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
LDLIBS  += $(DUCKDB_LIBS) -ljansson -lsqlite3 -lmicrohttpd -lgnutls -ledit -lz -lpthread -lm -lcrypto -lcurl

# src/ is one folder per layer; docs/architecture.md draws the map. Each
# folder is compiled with -I for itself and for the folders it may use, so
# that an include across a boundary fails the build. Dependencies go one
# way: cli/ and serve/ on top, service/ under them, then the libraries, and
# base/ at the ground.
LAYERS      := base lang sql store load demo answer insight service serve cli
USES_base    := base
USES_lang    := lang base
USES_sql     := sql lang base
USES_store   := store base
USES_load    := load store base
USES_demo    := demo store base
USES_answer  := answer sql lang base
USES_insight := insight answer sql lang store base
USES_service := service insight answer load store sql lang base
USES_serve   := serve service insight answer load store sql lang base
USES_cli     := cli serve service insight answer demo load store sql lang base
# the -I flags of the folder that holds build/<folder>/<name>.o ($* is folder/name)
layer_incs   = $(foreach d,$(USES_$(firstword $(subst /, ,$*))),-Isrc/$(d))
ALL_INCS    := $(LAYERS:%=-Isrc/%)
HDRS        := $(wildcard src/*/*.h)

SRCS      := $(sort $(wildcard $(LAYERS:%=src/%/*.c)))
LIB_SRCS  := $(filter-out src/cli/main.c,$(SRCS))
# build/web_assets.c is generated (see below); every binary links it.
OBJS      := $(SRCS:src/%.c=build/%.o) build/web_assets.o
LIB_OBJS  := $(LIB_SRCS:src/%.c=build/%.o) build/web_assets.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_OBJS  := $(SRCS:src/%.c=build/asan/%.o) build/asan/web_assets.o
SAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o) build/asan/web_assets.o
SAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)

# The knowledge base's built-in entries, kb/*.md, embedded by
# scripts/embed_kb.py as build/kb_assets.c (src/insight/kb_assets.h); every binary
# links it, as it does build/web_assets.o.
KB_FILES := $(sort $(wildcard kb/*.md))
OBJS         += build/kb_assets.o
LIB_OBJS     += build/kb_assets.o
SAN_OBJS     += build/asan/kb_assets.o
SAN_LIB_OBJS += build/asan/kb_assets.o

.PHONY: all deps demo demo-cluster test unit integration browser asan check bench clean fuzz fuzz-replay
all: finq

# The main job on sample data: generate and load it, then serve the web UI
# (the address is printed; Ctrl-C stops it). PORT=8080 by default.
PORT ?= 8080
demo: finq
	./finq --db finq.duckdb demo
	./finq --db finq.duckdb serve --port $(PORT)

# The same on a two-shard ClickHouse cluster (scripts/cluster.sh, data in
# .cluster-demo/; docs/engines.md): the sample data loaded into it and the
# web UI served from it. Ctrl-C stops the server; the cluster is stopped too.
demo-cluster: finq
	./finq --db finq-cluster.duckdb demo --no-load --out finq-demo.parquet
	scripts/cluster.sh down .cluster-demo
	mkdir -p .cluster-demo && scripts/cluster.sh up .cluster-demo > .cluster-demo/url.tmp && mv .cluster-demo/url.tmp .cluster-demo/url
	trap 'scripts/cluster.sh down .cluster-demo' EXIT INT TERM; \
	./finq --engine "$$(cat .cluster-demo/url)" --db finq-cluster.duckdb load finq-demo.parquet && \
	./finq --engine "$$(cat .cluster-demo/url)" --db finq-cluster.duckdb serve --port $(PORT)

deps: build/.deps
build/.deps: scripts/deps.sh
	@mkdir -p build
	./scripts/deps.sh
	@touch $@

build/%.o: src/%.c build/.deps $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(layer_incs) -c -o $@ $<

finq: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The web UI's files embedded in the binary (src/serve/web_assets.h): made by
# scripts/embed_assets.py from web/ when that script exists, else a stub
# page saying the UI is not built, so that the server builds either way.
EMBED_SCRIPT := $(wildcard scripts/embed_assets.py)
WEB_FILES    := $(shell find web -path web/node_modules -prune -o -type f -print 2>/dev/null) \
                $(wildcard web/node_modules/chart.js/dist/chart.umd.min.js)
WEB_STUB     := <!doctype html><meta charset=utf-8><title>finq</title><p>The finq web UI is not built into this binary (scripts/embed_assets.py was missing). The JSON API is at /api/v1/, described by <a href=/api/v1/openapi.json>/api/v1/openapi.json</a>.</p>
build/web_assets.c: build/.deps $(EMBED_SCRIPT) $(WEB_FILES)
	@mkdir -p build
ifneq ($(EMBED_SCRIPT),)
	python3 scripts/embed_assets.py web $@
else
	@printf '%s\n' '/* Generated by the Makefile: scripts/embed_assets.py is missing, so a stub page. */' \
	  '#include "web_assets.h"' \
	  'static const unsigned char index_html[] = "$(WEB_STUB)";' \
	  'const struct web_asset web_assets[] = {' \
	  '	{ "/index.html", "text/html; charset=utf-8", index_html, sizeof(index_html) - 1 },' \
	  '};' \
	  'const size_t web_assets_count = sizeof(web_assets) / sizeof(web_assets[0]);' > $@
endif

build/web_assets.o: build/web_assets.c src/serve/web_assets.h
	$(CC) $(CFLAGS) -Isrc/serve -c -o $@ $<

build/asan/web_assets.o: build/web_assets.c src/serve/web_assets.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Isrc/serve -c -o $@ $<

build/kb_assets.c: build/.deps scripts/embed_kb.py $(KB_FILES)
	@mkdir -p build
	python3 scripts/embed_kb.py kb $@

build/kb_assets.o: build/kb_assets.c src/insight/kb_assets.h
	$(CC) $(CFLAGS) -Isrc/insight -c -o $@ $<

build/asan/kb_assets.o: build/kb_assets.c src/insight/kb_assets.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -Isrc/insight -c -o $@ $<

# The OpenAPI document is embedded with .incbin (src/serve/openapi.c).
build/serve/openapi.o build/asan/serve/openapi.o: src/serve/openapi.json

# Tests see every folder: they test each layer from outside.
TEST_CFLAGS := $(ALL_INCS) -DTEST_DATA_DIR='"$(CURDIR)/tests/data"'

build/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

build/asan/%.o: src/%.c build/.deps $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(layer_incs) -c -o $@ $<

finq-asan: $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

build/asan/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(TEST_CFLAGS) -o $@ $< $(SAN_LIB_OBJS) $(LDLIBS) -lcmocka

# Every test binary runs; the target fails at the end if any failed.
unit: $(UNIT_BINS)
	@failed=0; for t in $(UNIT_BINS); do $$t || failed=1; done; exit $$failed

integration: finq
	FINQ=$(CURDIR)/finq tests/integration/run.sh

# The web UI in Debian's chromium, driven by playwright-core.
browser: finq
	FINQ=$(CURDIR)/finq tests/browser/run.sh

test: unit integration browser

# ASan, UBSan and LeakSanitizer over every test. tests/lsan.supp names the
# leaks that are not finq's (inside libduckdb's own thread pools and other
# third-party libraries), by library only, never a finq function.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

asan: finq-asan $(SAN_UNIT_BINS) fuzz-replay
	@failed=0; for t in $(SAN_UNIT_BINS); do $(ASAN_ENV) $$t || failed=1; done; exit $$failed
	$(ASAN_ENV) FINQ_IT_SANITIZED=1 FINQ=$(CURDIR)/finq-asan tests/integration/run.sh

# Everything check runs is built first, two compilers at a time; the tests
# then run one after another (they start servers and share the machine).
# The fuzzers search CHECK_FUZZ_SECONDS each here, FUZZ_SECONDS in `make fuzz`.
CHECK_FUZZ_SECONDS ?= 15
check: build/.deps
	$(MAKE) -j2 finq $(UNIT_BINS) finq-asan $(SAN_UNIT_BINS) $(REPLAY_BINS) $(FUZZ_BINS)
	$(MAKE) test asan fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) FUZZ_SEED=1

# ---- fuzzing (tests/fuzz/) ----
# Each harness is built twice: with clang's libFuzzer against the library
# compiled into build/fuzz/ (`make fuzz` searches for FUZZ_SECONDS each,
# starting from the committed corpus, new inputs going to build/fuzz/),
# and with tests/fuzz/replay.c against the ASan objects (`make
# fuzz-replay` runs the corpus and tests/fuzz/regressions/ as a plain
# test). A crash leaves its input in build/fuzz/crashes/<harness>/: fix
# the bug, then add the file to tests/fuzz/regressions/<harness>/.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 30
# libFuzzer's -seed: 0 picks a new one each run (`make fuzz` explores);
# check fixes it, so that what CI found is found again by the same command.
FUZZ_SEED    ?= 0
FUZZERS      := api http lexparse plan_json sniff timex
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# '=' not ':=': DUCKDB_CFLAGS is known only once scripts/deps.sh has run.
FUZZ_CFLAGS   = $(CSTD) $(WARN) -O1 -g $(DUCKDB_CFLAGS) $(FUZZ_FLAGS)
FUZZ_LIB_OBJS := $(LIB_SRCS:src/%.c=build/fuzz/%.o) build/fuzz/web_assets.o build/fuzz/kb_assets.o
FUZZ_DEFS    := $(ALL_INCS) -DFUZZ_DATA_DIR='"$(CURDIR)/tests/data"'
FUZZ_BINS    := $(FUZZERS:%=build/fuzz/fuzz_%)
REPLAY_BINS  := $(FUZZERS:%=build/asan/fuzz/fuzz_%)
# the library objects are intermediate to make; keep them between runs
.SECONDARY: $(FUZZ_LIB_OBJS)

build/fuzz/%.o: src/%.c build/.deps $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(layer_incs) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/web_assets.o: build/web_assets.c src/serve/web_assets.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/serve -c -o $@ $<

build/fuzz/kb_assets.o: build/kb_assets.c src/insight/kb_assets.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc/insight -c -o $@ $<

build/fuzz/serve/openapi.o: src/serve/openapi.json

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_DEFS) -o $@ $< $(FUZZ_LIB_OBJS) $(LDLIBS)

build/asan/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(FUZZ_DEFS) -o $@ $< tests/fuzz/replay.c $(SAN_LIB_OBJS) $(LDLIBS)

fuzz-replay: $(REPLAY_BINS)
	@failed=0; for h in $(FUZZERS); do \
	  $(ASAN_ENV) build/asan/fuzz/fuzz_$$h tests/fuzz/regressions/$$h tests/fuzz/corpus/$$h || failed=1; \
	done; exit $$failed

# Two searches at a time, one a core (a search is one process on one
# core), started in batches (every search runs FUZZ_SECONDS, and make's
# /bin/sh has no `wait -n`); each one's outcome is printed when all are
# done, in order.
FUZZ_JOBS ?= 2
fuzz: $(FUZZ_BINS) fuzz-replay
	@running=0; for h in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus/$$h build/fuzz/crashes/$$h; \
	  rm -f build/fuzz/$$h.failed; \
	  { $(ASAN_ENV) build/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -max_len=8192 -timeout=20 \
	    -rss_limit_mb=4096 -print_final_stats=0 -artifact_prefix=build/fuzz/crashes/$$h/ \
	    build/fuzz/corpus/$$h tests/fuzz/corpus/$$h 2>build/fuzz/$$h.log || touch build/fuzz/$$h.failed; } & \
	  running=$$((running + 1)); \
	  if [ $$running -ge $(FUZZ_JOBS) ]; then wait; running=0; fi; \
	done; wait; \
	failed=0; for h in $(FUZZERS); do \
	  echo "== fuzz_$$h for $(FUZZ_SECONDS) s"; \
	  if [ -e build/fuzz/$$h.failed ]; then failed=1; tail -n 60 build/fuzz/$$h.log; fi; \
	  grep -E '^#[0-9]+.*(DONE|pulse)' build/fuzz/$$h.log | tail -n 1; \
	done; exit $$failed

bench: finq
	bench/load.sh

clean:
	rm -rf build finq finq-asan
