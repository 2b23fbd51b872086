/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"

void nsh_err_set(struct nsh_err *e, size_t off, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->set)
		return;
	e->set = 1;
	e->off = off;
	e->len = len;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void nsh_err_clear(struct nsh_err *e)
{
	memset(e, 0, sizeof(*e));
}
