/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Edit distance and the nearest word, for "did you mean" (lib/distance.h). */
#include <stdbool.h>
#include <string.h>

#include "lib/distance.h"

/*
 * Optimal string alignment: insertions, deletions, substitutions and swaps
 * of two neighbouring letters count one each ("dant" is one from "dnat"),
 * over three rows; words over 63 bytes count as far.
 */
size_t nsh_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, r[3][64], *prev2, *prev, *row, v;

	if (lb >= 63 || la >= 64)
		return cap + 1;
	prev2 = r[0];
	prev = r[1];
	row = r[2];
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			row[j] = v;
		}
		/* rotate: the row just made becomes prev */
		{
			size_t *t = prev2;

			prev2 = prev;
			prev = row;
			row = t;
		}
	}
	return prev[lb] > cap ? cap + 1 : prev[lb];
}

/*
 * The closest keyword or command name to word, within a small distance; of
 * equally close ones, one as long as word (a swap or a typo rather than a
 * missing or extra letter), else the first.
 */
const char *nsh_nearest_word(const char *word, const char *const *cands, size_t n)
{
	size_t i, d, best = 3, cap, len = strlen(word);
	const char *hit = NULL;
	bool same = false;

	cap = len <= 3 ? 1 : 2;
	for (i = 0; i < n; i++) {
		d = nsh_distance(word, cands[i], cap);
		if (d > cap)
			continue;
		if (d < best || (d == best && !same && strlen(cands[i]) == len)) {
			best = d;
			hit = cands[i];
			same = strlen(cands[i]) == len;
		}
	}
	return hit;
}
