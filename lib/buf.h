/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growable, always NUL-terminated string buffer. */
#ifndef NSH_BUF_H
#define NSH_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct nsh_buf {
	char *s;	/* "" when empty, never NULL after nsh_buf_init */
	size_t len;
	size_t cap;
};

void nsh_buf_init(struct nsh_buf *b);
void nsh_buf_free(struct nsh_buf *b);
void nsh_buf_reset(struct nsh_buf *b);		/* length 0, keeps memory */
void nsh_buf_putc(struct nsh_buf *b, char c);
void nsh_buf_puts(struct nsh_buf *b, const char *s);
void nsh_buf_putn(struct nsh_buf *b, const char *s, size_t n);
void nsh_buf_printf(struct nsh_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nsh_buf_vprintf(struct nsh_buf *b, const char *fmt, va_list ap);
char *nsh_buf_steal(struct nsh_buf *b);		/* caller frees; b is reset */

/*
 * nsh_buf_putn inlined, for the renderers' hot loops (a rule is some twenty
 * appends): the same bytes, a call only when the buffer must grow.
 */
static inline void nsh_buf_putn_fast(struct nsh_buf *b, const char *s, size_t n)
{
	if (b->cap && b->len + n < b->cap) {
		memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else {
		nsh_buf_putn(b, s, n);
	}
}

/*
 * v in decimal at the end of tmp (no NUL); returns where it starts.  No
 * printf: listings write a number or several per line.
 */
static inline char *nsh_u64_dec(uint64_t v, char tmp[20])
{
	char *p = tmp + 20;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/* Append v in decimal. */
static inline void nsh_buf_put_u64(struct nsh_buf *b, uint64_t v)
{
	char tmp[20], *p = nsh_u64_dec(v, tmp);

	nsh_buf_putn_fast(b, p, (size_t)(tmp + 20 - p));
}

#endif
