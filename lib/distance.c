/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Edit distance and the nearest word, for "did you mean" (lib/distance.h). */
#include <string.h>

#include "lib/distance.h"

/* Levenshtein distance with one row; words over 63 bytes count as far. */
size_t nsh_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[64], prev, tmp;

	if (lb >= 63 || la >= 64)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}

/* The closest keyword or command name to word, within a small distance. */
const char *nsh_nearest_word(const char *word, const char *const *cands, size_t n)
{
	size_t i, d, best = 3, cap;
	const char *hit = NULL;

	cap = strlen(word) <= 3 ? 1 : 2;
	for (i = 0; i < n; i++) {
		d = nsh_distance(word, cands[i], cap);
		if (d <= cap && d < best) {
			best = d;
			hit = cands[i];
		}
	}
	return hit;
}

