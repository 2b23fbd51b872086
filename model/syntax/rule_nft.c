/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nft's text of a rule natsh does not understand, in the forms natsh shows (rule_nft.h). */
#include <string.h>

#include "model/syntax/rule_nft.h"
#include "model/syntax/rule_text.h"

/* [s, e) is a run of decimal digits. */
static const char *digits_end(const char *s, const char *e)
{
	const char *p = s;

	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

/*
 * At p (a word start outside quotes): the end of "counter packets N bytes M"
 * when that is what stands there, else NULL.
 */
static const char *counter_end(const char *p, const char *e)
{
	static const char c[] = "counter packets ", by[] = " bytes ";
	const char *q;

	if ((size_t)(e - p) < sizeof(c) - 1 || memcmp(p, c, sizeof(c) - 1))
		return NULL;
	q = digits_end(p + sizeof(c) - 1, e);
	if (!q || (size_t)(e - q) < sizeof(by) - 1 || memcmp(q, by, sizeof(by) - 1))
		return NULL;
	q = digits_end(q + sizeof(by) - 1, e);
	return q && (q == e || *q == ' ') ? q : NULL;
}

/* See rule_nft.h. */
void nsh_rule_nft_render(const struct nsh_rule *r, unsigned flags, struct nsh_buf *b)
{
	const char *s = r->nft_text, *e = s + strlen(s), *p, *run;
	bool quoted = false;

	/* the comment closes the line (model/nl/nftlib.c checked it is r's) */
	if (!(flags & NSH_RF_COMMENT) && r->comment) {
		size_t n = strlen(r->comment) + sizeof("comment \"\"") - 1;

		if ((size_t)(e - s) >= n) {
			e -= n;
			if (e > s && e[-1] == ' ')
				e--;
		}
	}
	if (flags & NSH_RF_COUNTERS) {
		nsh_buf_putn(b, s, (size_t)(e - s));
	} else {
		for (p = run = s; p < e; p++) {
			const char *q;

			if (*p == '"')
				quoted = !quoted;
			if (quoted || (p > s && p[-1] != ' ') || !(q = counter_end(p, e)))
				continue;
			nsh_buf_putn(b, run, (size_t)(p - run));
			nsh_buf_puts(b, "counter");
			run = q;
			p = q - 1;
		}
		nsh_buf_putn(b, run, (size_t)(e - run));
	}
	if (flags & NSH_RF_MARK)
		nsh_rule_mark(r, b);
}

/* See rule_nft.h. */
const char *nsh_rule_mark_text(const struct nsh_rule *r)
{
	return r->nft_text ? "# not understood by natsh"
			   : "# not understood by natsh (nft's text could not be read: raw "
			     "expressions)";
}

/* See rule_nft.h. */
void nsh_rule_mark(const struct nsh_rule *r, struct nsh_buf *b)
{
	nsh_buf_puts(b, "  ");
	nsh_buf_puts(b, nsh_rule_mark_text(r));
}
