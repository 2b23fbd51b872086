/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

void (*nsh_oom_hook)(void);

static void *oom(void)
{
	if (nsh_oom_hook)
		nsh_oom_hook();
	fputs("natsh: out of memory\n", stderr);
	abort();
}

void *nsh_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom();
}

void *nsh_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : oom();
}

void *nsh_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : oom();
}

char *nsh_xstrdup(const char *s)
{
	char *p = strdup(s);

	return p ? p : oom();
}

char *nsh_xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	return p ? p : oom();
}
