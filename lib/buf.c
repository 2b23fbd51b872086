/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"

static char empty[1];

void nsh_buf_init(struct nsh_buf *b)
{
	b->s = empty;
	b->len = 0;
	b->cap = 0;
}

void nsh_buf_free(struct nsh_buf *b)
{
	if (b->cap)
		free(b->s);
	nsh_buf_init(b);
}

void nsh_buf_reset(struct nsh_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
static void buf_grow(struct nsh_buf *b, size_t n)
{
	size_t need = b->len + n + 1, cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap) {
		b->s = nsh_xrealloc(b->s, cap);
	} else {
		b->s = nsh_xmalloc(cap);
		b->s[0] = '\0';
	}
	b->cap = cap;
}

void nsh_buf_putn(struct nsh_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void nsh_buf_putc(struct nsh_buf *b, char c)
{
	nsh_buf_putn(b, &c, 1);
}

void nsh_buf_puts(struct nsh_buf *b, const char *s)
{
	nsh_buf_putn(b, s, strlen(s));
}

void nsh_buf_vprintf(struct nsh_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void nsh_buf_printf(struct nsh_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nsh_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *nsh_buf_steal(struct nsh_buf *b)
{
	char *s = b->cap ? b->s : nsh_xstrdup("");

	nsh_buf_init(b);
	return s;
}
