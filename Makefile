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
ALL_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -DNSH_VERSION='"$(VERSION)"' -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDLIBS    := $(PKG_LIBS)

# SAN=1: build with AddressSanitizer and UndefinedBehaviorSanitizer into build-san/
ifeq ($(SAN),1)
BUILD     := build-san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
else
BUILD     := build
endif

# the pipeline, in order: shell -> cmds -> model -> render
LIB_SRCS  := $(wildcard src/lib/*.c src/model/*.c src/render/*.c src/cmds/*.c src/completions/*.c) \
             $(filter-out src/shell/main.c,$(wildcard src/shell/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/shell/main.o

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check unit kernel demo bench install uninstall clean fuzz

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

unit: $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

clean:
	rm -rf build build-san natsh

# conntrack injector for tests and benchmarks (tests/bench/ct_inject.c)
$(BUILD)/ct_inject: tests/bench/ct_inject.c $(BUILD)/libnatsh.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libnatsh.a $(LDFLAGS) $(LDLIBS)
