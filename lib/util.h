/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lib/: what any floor may use and that knows nothing of NAT: allocation
 * (util), buffers (buf), errors (err), atomic files (afile), "did you mean"
 * (distance), the word splitter of command lines and rules (lex).  Uses
 * only libc.
 *
 * Allocation that cannot fail: on exhaustion, restore the terminal and abort.
 */
#ifndef NSH_UTIL_H
#define NSH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define NSH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *nsh_xmalloc(size_t n);
void *nsh_xcalloc(size_t n, size_t size);
void *nsh_xrealloc(void *p, size_t n);
char *nsh_xstrdup(const char *s);
char *nsh_xstrndup(const char *s, size_t n);

/* x rounded half away from zero, clamped to [0, UINT64_MAX]; no libm. */
static inline uint64_t nsh_round_u64(double x)
{
	if (!(x > 0))			/* also NaN */
		return 0;
	if (x >= 18446744073709551615.0)
		return UINT64_MAX;
	return (uint64_t)(x + 0.5);
}

/* Called before abort() on allocation failure (the TUI restores the terminal). */
extern void (*nsh_oom_hook)(void);

#endif
