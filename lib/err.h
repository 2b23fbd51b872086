/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An error with the place it refers to.  Lower layers fill it; the shell
 * (shell/error.c) prints it as SOURCE:LINE:COL: error: MSG plus a caret line.
 */
#ifndef NSH_ERR_H
#define NSH_ERR_H

#include <stddef.h>

struct nsh_err {
	int set;		/* 0: no error recorded */
	size_t off;		/* byte offset of the offending text in the command line */
	size_t len;		/* its length (0: point at off) */
	char msg[512];
};

/* Record an error at [off, off+len) of the current line; first one wins. */
void nsh_err_set(struct nsh_err *e, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void nsh_err_clear(struct nsh_err *e);

#endif
