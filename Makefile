# SPDX-License-Identifier: GPL-3.0-or-later
# natsh - an interactive shell for Linux netfilter NAT

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/sbin
MANDIR    := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions

CC        ?= cc
PKGS      := libnftnl libmnl readline ncursesw jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN      := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes
CFLAGS    ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -DNSH_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) $(CFLAGS)
# Libraries linked statically where Debian ships the archive: each shared
# library costs start-up time and resident pages, which dominate a short run
# (`natsh show` of 1,000 rules: 6.9 ms and 2.8 MB static, 7.3 ms and 3.4 MB
# shared).  `make STATIC_LIBS=` links everything as shared libraries.
STATIC_LIBS ?= nftnl jansson readline ncursesw tinfo
# The compiler is asked only when it exists: on a fresh machine `make deps`
# (or `make check`) is read before build-essential is installed.
HAVE_CC   := $(shell command -v $(firstword $(CC)) 2>/dev/null)
STATIC_HAVE := $(if $(HAVE_CC),$(foreach l,$(STATIC_LIBS),$(if $(wildcard $(shell $(CC) -print-file-name=lib$(l).a 2>/dev/null)),$(l))))
SHARED_LIBS := $(filter-out $(addprefix -l,$(STATIC_HAVE)),$(PKG_LIBS))
STATIC_LDLIBS := -Wl,-Bstatic $(addprefix -l,$(STATIC_HAVE)) -Wl,-Bdynamic
LDLIBS    := $(if $(STATIC_HAVE),$(STATIC_LDLIBS)) $(SHARED_LIBS)
# Packed relative relocations (DT_RELR, binutils >= 2.38, glibc >= 2.36): the
# PIE's ~3,600 relocations take 1 KB instead of 87 KB that every start reads.
RELR_FLAG := $(if $(HAVE_CC),$(shell printf 'int main(void){return 0;}' | \
	$(CC) -x c - -o /dev/null -Wl,-z,pack-relative-relocs 2>/dev/null && echo -Wl,-z,pack-relative-relocs))
LDFLAGS   += $(RELR_FLAG)

# SAN=1: build with AddressSanitizer and UndefinedBehaviorSanitizer into build-san/
ifeq ($(SAN),1)
BUILD     := build-san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else
BUILD     := build
endif

# The floor plan (README, "How the code is laid out"); includes point down only:
#   shell -> cmds, completions -> render -> model/{plan,txn,nl,nft,syntax} -> model -> lib
SRC_DIRS  := shell cmds cmds/wizard completions render model model/syntax model/nft model/nl \
             model/txn model/plan lib
LIB_SRCS  := $(filter-out shell/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/shell/main.o

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

NPROC     := $(shell nproc 2>/dev/null || echo 2)
# bash completion: installed when the completion helper has written it
BASHCOMP  := completions/natsh.bash

.PHONY: layout all deps check unit unit-bins kernel demo bench install uninstall clean fuzz

all: $(BUILD)/natsh
ifneq ($(SAN),1)
all: natsh
natsh: $(BUILD)/natsh
	ln -sf $(BUILD)/natsh natsh
endif

$(BUILD)/natsh: $(MAIN_OBJ) $(BUILD)/libnatsh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libnatsh.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnatsh.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/libnatsh.a $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)

# install the Debian packages natsh needs to build and test (quiet when nothing is missing)
deps:
	@tools/deps.sh

# the floor plan: includes point down, netlink only in model/nl/ (README)
layout:
	@tools/check-layout.sh

unit: $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

unit-bins: $(UNIT_BINS)

# Kernel tests (root; each in its own namespaces): tests/kernel/NNNN_*.sh, tests/tui/NNNN_*.sh.
# `make kernel T=0001` runs only tests whose name contains 0001.
# A helper program the kernel tests need gets its own rule and one line
# (anywhere in this file) that makes it a prerequisite:
#   kernel: $(BUILD)/tests/tools/rule_load
kernel: all
	@NATSH=$(CURDIR)/$(BUILD)/natsh tests/run-kernel.sh $(T)

# Fuzzing hook: whoever has a fuzz target gives it its own (phony) rule and
# one line, anywhere in this file, that makes it a prerequisite:
#   fuzz: fuzz-lexer
# Each must be a short, bounded run (seconds, not minutes).
# `make check` runs `make SAN=1 fuzz` after the unit tests.
fuzz:
	@true

# Everything a newcomer or CI runs, in this order, under ASan+UBSan (build-san/).
# The last line printed is the kernel tests' "N passed, N failed".
check:
	@$(MAKE) --no-print-directory deps
	@tools/check-layout.sh
	@$(MAKE) --no-print-directory -j$(NPROC) SAN=1 all unit-bins
	@$(MAKE) --no-print-directory SAN=1 unit
	@$(MAKE) --no-print-directory SAN=1 FUZZ_TIME=$(CHECK_FUZZ_TIME) fuzz
	@$(MAKE) --no-print-directory SAN=1 kernel

# Build, bring up the lab, open natsh on the lab's router; leaving natsh
# (or Ctrl-C, or an error) tears the lab down.
demo:
	@$(MAKE) --no-print-directory deps
	@echo "demo: building natsh (build/natsh; compiler errors would show)"
	@$(MAKE) --no-print-directory -s -j$(NPROC) SAN= all
	@NATSH=$(CURDIR)/build/natsh tests/lab/demo.sh

# natsh show against nft, iptables-nft and a raw netlink dump (release build).
bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(NPROC) SAN= all
	@NATSH=$(CURDIR)/build/natsh tests/bench/bench.sh

install: all
	install -D -m 0755 $(BUILD)/natsh $(DESTDIR)$(BINDIR)/natsh
	install -D -m 0644 natsh.1 $(DESTDIR)$(MANDIR)/natsh.1
ifneq ($(BASHCOMP),)
	install -D -m 0644 $(BASHCOMP) $(DESTDIR)$(BASHCOMPDIR)/natsh
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/natsh $(DESTDIR)$(MANDIR)/natsh.1 $(DESTDIR)$(BASHCOMPDIR)/natsh

clean:
	rm -rf build build-san build-fuzz natsh

# The shell's front end (lexer, grammar matcher, completer) on random lines.
fuzz: fuzz-shell
.PHONY: fuzz-shell
fuzz-shell: $(BUILD)/tests/fuzz_shell
	@$(BUILD)/tests/fuzz_shell 20000
$(BUILD)/tests/fuzz_shell: tests/fuzz/fuzz_shell.c $(BUILD)/libnatsh.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libnatsh.a $(LDFLAGS) $(LDLIBS)

# conntrack injector for tests and benchmarks (tests/bench/ct_inject.c)
$(BUILD)/ct_inject: tests/bench/ct_inject.c $(BUILD)/libnatsh.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libnatsh.a $(LDFLAGS) $(LDLIBS)

# Rule parser (parse helper): the write-oracle driver for tests/kernel/0100_write_oracle.sh.
kernel: $(BUILD)/tests/tools/rule_load
$(BUILD)/tests/tools/rule_load: tests/kernel/tools/rule_load.c $(BUILD)/libnatsh.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libnatsh.a $(LDFLAGS) $(LDLIBS)

# libFuzzer targets, one per parser, each on a copy of its seed corpus
# tests/fuzz/corpus/NAME for FUZZ_TIME seconds: `make fuzz-NAME FUZZ_TIME=600`.
#   rule    the rule language: nsh_rule_parse, the hook check, nsh_rule_encode, completion
#   decode  the kernel's rule and set element messages as the dump reads them
#           (seeds: tests/fuzz/decode_seeds.c run on the 0010 test's ruleset)
#   ipt     the iptables translation, through the rule parser
#           (seeds: the iptables lines of tests/kernel/data/ipt_translate.txt)
#   load    scripts written by `natsh save`, read back by `load`
#   ct      conntrack entries as the kernel sends them (seeds: decode_seeds.c ct
#           in a namespace with tcp, udp and icmp entries of both families)
FUZZ_TIME ?= 60
# make check gives each libFuzzer target 40 s (it must stay under 20 minutes on
# 2 cores); `make fuzz` alone 60 s, `make fuzz FUZZ_TIME=600` longer
CHECK_FUZZ_TIME ?= 40
FUZZ_LIB := lib/err.c lib/util.c lib/buf.c lib/distance.c lib/lex.c model/keys.c model/ruleset.c \
	model/values.c
FUZZ_PARSER := model/syntax/rule_gram.c model/syntax/rule_parse.c \
	model/syntax/rule_parse_match.c model/syntax/rule_parse_stmt.c model/syntax/rule_text.c \
	model/syntax/rule_parse_vmap.c
FUZZ_rule_SRCS := $(FUZZ_LIB) $(FUZZ_PARSER) model/nft/to_nftnl.c
FUZZ_decode_SRCS := $(FUZZ_LIB) model/nft/from_nftnl.c model/nft/from_nftnl_match.c \
	model/nft/from_nftnl_set.c model/nft/from_nftnl_stmt.c model/nft/from_nftnl_xe.c \
	model/nft/from_nftnl_xkey.c model/nft/from_xt.c model/syntax/rule_text.c \
	model/nft/from_nftnl_vmap.c
FUZZ_ipt_SRCS := $(FUZZ_LIB) $(FUZZ_PARSER) model/syntax/ipt.c model/syntax/ipt_xl.c \
	model/syntax/ipt_opts.c model/syntax/ipt_cmp.c

define LIBFUZZER
.PHONY: fuzz-$(1)
fuzz: fuzz-$(1)
build-fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_$(1)_SRCS) $$(foreach d,$$(SRC_DIRS),$$(wildcard $$(d)/*.h))
	@mkdir -p build-fuzz
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I. $$(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -o $$@ tests/fuzz/fuzz_$(1).c $$(FUZZ_$(1)_SRCS) \
		$$(shell pkg-config --libs libnftnl libmnl)
fuzz-$(1): build-fuzz/fuzz_$(1)
	@rm -rf build-fuzz/corpus-$(1) && mkdir -p build-fuzz/corpus-$(1) && \
		cp tests/fuzz/corpus/$(1)/* build-fuzz/corpus-$(1)/
	@echo "fuzz-$(1): $$(FUZZ_TIME) s on $$$$(ls tests/fuzz/corpus/$(1) | wc -l) seeds"
	@ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz_$(1) -max_total_time=$$(FUZZ_TIME) -max_len=4096 \
		-print_final_stats=1 -artifact_prefix=build-fuzz/ build-fuzz/corpus-$(1) \
		2>build-fuzz/fuzz_$(1).log; rc=$$$$?; \
		grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|ERROR|SUMMARY' \
		build-fuzz/fuzz_$(1).log; exit $$$$rc
endef
FUZZ_load_SRCS := $(FUZZ_LIB) $(FUZZ_PARSER) model/syntax/load.c
FUZZ_ct_SRCS := $(FUZZ_LIB) model/nl/ct.c model/nl/sock.c model/ct.c render/ct.c render/out.c
$(foreach f,rule decode ipt load ct,$(eval $(call LIBFUZZER,$(f))))

.PHONY: clean-fuzz
clean: clean-fuzz
clean-fuzz:
	rm -rf build-fuzz
