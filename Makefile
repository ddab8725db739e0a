# duijie — build, demo, tests and benchmarks. See README.md.
# `make deps` installs every package the project needs (Debian + npm), idempotently.

PKGS    := libmicrohttpd sqlite3 libsodium jansson icu-uc icu-i18n opencc libqrencode libical \
           xlsxwriter minizip expat pangocairo
DEB_PKGS := build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libsodium-dev \
            libjansson-dev libicu-dev libopencc-dev libstemmer-dev libxapian-dev libqrencode-dev libical-dev \
            libxlsxwriter-dev libminizip-dev libexpat1-dev libcsv-dev libpango1.0-dev libcairo2-dev poppler-utils sqlite3 chromium fonts-noto-cjk curl wrk nginx-light clang-format \
            clang libclang-rt-14-dev coinor-cbc
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
             -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lcsv -lm -lpthread $(EXTRA_LDFLAGS)

# ECharts (npm, installed by `make deps`) is embedded and served as /static/echarts.min.js.
ECHARTS := node_modules/echarts/dist/echarts.min.js
LIB_SRC := $(sort $(wildcard src/base/*.c src/text/*.c src/match/*.c src/store/*.c src/domain/*.c src/web/*.c src/sched/*.c \
             src/io/*.c src/report/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
ASSETS  := $(sort $(wildcard web/templates/*.html web/static/*.css web/static/*.js web/static/*.svg \
             web/i18n/*.txt src/store/sql/*/*.sql data/demo/*.jsonl data/*.tsv))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/assets.o
HDRS    := $(wildcard src/*/*.h tests/unit/*.h)

.PHONY: all deps demo serve test test-unit test-blackbox test-browser test-asan bench fmt clean

all: $(BUILD)/duijie

$(ECHARTS):
	npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/embed $(ASSETS) $(ECHARTS)
	@mkdir -p $(@D)
	$(BUILD)/embed $@ $(ASSETS) web/static/echarts.min.js=$(ECHARTS)

$(BUILD)/obj/assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/duijie: $(LIB_OBJ) $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/unit: $(LIB_OBJ) $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@[ -d node_modules/playwright-core ] && [ -f $(ECHARTS) ] || npm ci --no-audit --no-fund --loglevel=error

DEMO_DB ?= $(BUILD)/demo.db
demo: deps all
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/duijie demo --db $(DEMO_DB)
	@echo "serving the demo at http://127.0.0.1:8080 (Ctrl-C stops)"
	$(BUILD)/duijie serve --db $(DEMO_DB) --listen 127.0.0.1:8080

# Every test layer; the last line is "N passed, N failed".
test: deps all $(BUILD)/unit
	@bash tests/run_all.sh

test-asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all build/asan/unit

# Every benchmark against its peers, in one run (several minutes; not part of make test):
# matching quality and speed vs SQLite FTS5 and Xapian on the shared relevance data, the
# engine at 10k/100k/1M synthetic listings, the meeting scheduler vs a MIP (cbc), and the
# web server vs nginx at 100k achievements, and the import of 100k achievements from XLSX. Figures are recorded in docs/BENCHMARKS.md.
bench: deps all
	@bash bench/ir.sh
	@[ ! -f bench/scale.sh ] || bash bench/scale.sh
	@bash bench/sched.sh
	@bash bench/report.sh
	@bash bench/run.sh
	@bash bench/import.sh

fmt:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/fuzz/*.c tools/*.c)

clean:
	rm -rf build

# Fuzz targets (tests/fuzz/fuzz_*.c): builds them with clang + libFuzzer into build/fuzz and runs
# each for a bounded number of inputs (FUZZ_RUNS); the last line is "N passed, N failed".
.PHONY: fuzz
fuzz:
	@bash tests/fuzz/run.sh
