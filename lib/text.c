/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Is it text, and how a byte that is not is shown (lib/text.h). */
#include "lib/text.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and code points past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t nsh_text_bad(const char *s, size_t n, const char **what, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		if (u[i] == 0) {
			*what = "a NUL byte";
			*len = 1;
			return i;
		}
		if ((u[i] < ' ' && u[i] != '\t') || u[i] == 0x7f) {
			*what = "a control character";
			*len = 1;
			return i;
		}
		l = utf8_len(u + i, n - i);
		if (!l) {
			*what = "invalid UTF-8";
			*len = 1;
			return i;
		}
		i += l;
	}
	return n;
}

size_t nsh_text_escape(unsigned char c, char out[4])
{
	static const char hex[] = "0123456789abcdef";

	if ((c < ' ' && c != '\t') || c == 0x7f) {
		out[0] = '^';
		out[1] = (char)(c ^ 0x40);
		return 2;
	}
	if (c < 0x80)
		return 0;
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}
