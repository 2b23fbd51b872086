/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The lines of a "set NAME { ... }" / "map NAME { ... }" block, as nft lists
 * them (and natsh save writes them), into a struct nsh_nset.  No kernel.
 * Error offsets are relative to the text passed in.
 */
#ifndef NSH_NSET_PARSE_H
#define NSH_NSET_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/err.h"
#include "model/model.h"

/*
 * One declaration line of the block in text[off, end): type, typeof,
 * policy, size, flags, counter, auto-merge, timeout, gc-interval, comment,
 * or "elements = { ... }" (which may span lines: end past its "}").
 * map: the block is a map.  0 or -1 + err.
 */
int nsh_nset_parse_line(struct nsh_nset *s, bool map, const char *text, size_t off, size_t end,
			struct nsh_err *err);

/* After the block's "}": a type was given, maps have data.  0 or -1 + err at off. */
int nsh_nset_parse_done(struct nsh_nset *s, bool map, size_t off, struct nsh_err *err);

/* "1d2h3m4s5ms", or a plain number of seconds -> milliseconds; -1 when it is no time. */
int nsh_time_parse(const char *s, uint64_t *ms);

#endif
