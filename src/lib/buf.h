/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A growable, always NUL-terminated string buffer. */
#ifndef NSH_BUF_H
#define NSH_BUF_H

#include <stdarg.h>
#include <stddef.h>

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

#endif
