/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * "Did you mean": the edit distance between two words and the nearest of a
 * list of candidates.  Used by the command matcher (cmds/args.c), the rule
 * parser (model/syntax/rule_parse.c) and help.
 */
#ifndef NSH_LIB_DISTANCE_H
#define NSH_LIB_DISTANCE_H

#include <stddef.h>

/* Edit distance (a swap of neighbours counts one), capped: cap + 1 when larger. */
size_t nsh_distance(const char *a, const char *b, size_t cap);

/*
 * The candidate closest to word (of equals, one of its length, else the
 * first), within one edit for words of up to
 * three characters and two for longer ones; NULL when none is that close.
 */
const char *nsh_nearest_word(const char *word, const char *const *cands, size_t n);

#endif
