# sluice: one C binary; tree-sitter's runtime and grammars (npm, pinned) are compiled in.
#
#   make                 build/sluice with $(CC) (gcc by default)
#   make CC=clang O=build-clang
#   make SAN=1 O=build-san   AddressSanitizer + UndefinedBehaviorSanitizer
#   make test            unit and end-to-end tests against $(O)
#   make check           everything CI runs: gcc and clang builds, tests, tests under
#                        sanitizers, and a short run of every fuzz target
#   make fuzz            libFuzzer targets (clang) in build-fuzz/

CC      ?= cc
O       ?= build
SAN     ?=
TS      := node_modules/tree-sitter/vendor/tree-sitter/lib
GRAMMARS := c python java

PKGS    := yaml-0.1 libpcre2-8 jansson sqlite3 libseccomp libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
PQ_CFLAGS  := -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)

OPT     ?= -O2
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      := -O1
endif
# make fuzz: the library needs libFuzzer's coverage hooks too, or the fuzzer is blind to it.
ifeq ($(FUZZ),1)
SANFLAGS += -fsanitize=fuzzer-no-link
endif
CFLAGS_ALL := $(CSTD) $(OPT) -g $(WARN) $(SANFLAGS) -Isrc -I$(TS)/include $(PKG_CFLAGS) $(PQ_CFLAGS) -MMD -MP
LDFLAGS_ALL := $(SANFLAGS) -pthread
LIBS    := $(PKG_LIBS) -lpq -lm

# Our sources: every .c under src/ except main.c goes into libsluice.a so tests link it too.
SRCS     := $(sort $(shell find src -name '*.c' ! -name main.c))
OBJS     := $(SRCS:%.c=$(O)/%.o)
MAIN_OBJ := $(O)/src/main.o

# Third-party objects: warnings are theirs, not ours, so they build without -Werror.
TS_OBJ      := $(O)/ts/lib.o
GRAMMAR_OBJS := $(foreach g,$(GRAMMARS),$(O)/ts/$(g)-parser.o) \
                $(if $(wildcard node_modules/tree-sitter-python/src/scanner.c),$(O)/ts/python-scanner.o)
THIRD_CFLAGS := -std=gnu11 $(OPT) -g -w -fPIC
# The runtime is small and worth checking under sanitizers; generated parsers are big tables.
TS_RT_CFLAGS := $(THIRD_CFLAGS) $(SANFLAGS) -I$(TS)/include -I$(TS)/src

# Built-in rule packs: every rules/<lang>/<name>.yml, embedded as a C table by
# scripts/embed-packs into a generated file that goes into the library.
PACK_SRCS := $(sort $(shell find rules -name '*.yml' -o -name '*.yaml' 2>/dev/null))
PACK_OBJ  := $(O)/gen/packs.o

LIB := $(O)/libsluice.a
BIN := $(O)/sluice

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(O)/tests/helpers/%)

.PHONY: all test unit e2e check fuzz fuzz-smoke clean deps
all: $(BIN) $(UNIT_BINS) $(HELPER_BINS)

deps: $(TS)/src/lib.c
$(TS)/src/lib.c:
	@echo "tree-sitter sources missing: run scripts/setup (npm ci)" >&2; exit 2

$(O)/ts/lib.o: $(TS)/src/lib.c | $(O)/ts
	$(CC) $(TS_RT_CFLAGS) -c $< -o $@
$(O)/ts/%-parser.o: node_modules/tree-sitter-%/src/parser.c | $(O)/ts
	$(CC) $(THIRD_CFLAGS) -Inode_modules/tree-sitter-$*/src -c $< -o $@
$(O)/ts/%-scanner.o: node_modules/tree-sitter-%/src/scanner.c | $(O)/ts
	$(CC) $(THIRD_CFLAGS) -Inode_modules/tree-sitter-$*/src -c $< -o $@
$(O)/ts:
	mkdir -p $@

$(O)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(O)/gen/packs.c: scripts/embed-packs $(PACK_SRCS)
	@mkdir -p $(dir $@)
	sh scripts/embed-packs rules > $@.tmp && mv $@.tmp $@
$(PACK_OBJ): $(O)/gen/packs.c src/rule/rule_internal.h src/rule/rule.h
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(OBJS) $(PACK_OBJ) $(TS_OBJ) $(GRAMMAR_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) $^ $(LIBS) -o $@

$(O)/tests/test_%: tests/unit/test_%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit $< $(LIB) $(LDFLAGS_ALL) $(LIBS) -lcmocka -o $@

# Small programs that tests run under sluice (the tracer's robustness tests, for example).
$(O)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -pthread $< -o $@

# Benchmark drivers (bench/*.c), linked like the tests; the scripts in bench/ run them.
$(O)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $< $(LIB) $(LDFLAGS_ALL) $(LIBS) -o $@

test: all
	SLUICE=$(abspath $(BIN)) BUILD=$(abspath $(O)) tests/run $(UNIT_BINS)

check:
	$(MAKE) O=build CC=gcc all
	$(MAKE) O=build-clang CC=clang all
	$(MAKE) fuzz-smoke
	$(MAKE) O=build CC=gcc test
	$(MAKE) O=build-san CC=clang SAN=1 test

FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=build-fuzz/%)
fuzz:
	$(MAKE) O=build-fuzz CC=clang SAN=1 FUZZ=1 OPT=-O1 build-fuzz/libsluice.a
	$(MAKE) O=build-fuzz CC=clang SAN=1 FUZZ=1 $(FUZZ_BINS)
build-fuzz/fuzz_%: fuzz/fuzz_%.c build-fuzz/libsluice.a
	clang $(CFLAGS_ALL) -fsanitize=fuzzer $< build-fuzz/libsluice.a $(LDFLAGS_ALL) $(LIBS) -fsanitize=fuzzer -o $@

# A short run of every fuzz target for CI: FUZZ_SECONDS each, seeded from fuzz/corpus
# when there is one. Long runs are for the benchmark machine: make fuzz, then run one.
FUZZ_SECONDS ?= 10
fuzz-smoke: fuzz
	@for f in $(FUZZ_BINS); do \
	    name=$$(basename $$f); seeds=fuzz/corpus/$${name#fuzz_}; \
	    work=$$(mktemp -d); [ -d "$$seeds" ] && cp -r "$$seeds"/. "$$work"/; \
	    echo "fuzz-smoke: $$name for $(FUZZ_SECONDS) s"; \
	    ASAN_OPTIONS=detect_leaks=1 $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 \
	        -timeout=30 "$$work" >$$work.log 2>&1 || { tail -40 $$work.log; rm -rf $$work $$work.log; exit 1; }; \
	    grep -E '^#[0-9]+ *DONE' $$work.log || tail -2 $$work.log; rm -rf $$work $$work.log; \
	done

clean:
	rm -rf build build-clang build-san build-fuzz

-include $(OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
