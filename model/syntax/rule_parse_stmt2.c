/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rule parser, the other statements (model/stmts.h): reject, limit, quota,
 * log, notrack, FIELD set VALUE, add/update/delete @SET { ... }, with
 * nft's family and protocol checks and its messages.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_log.h>

#include "model/syntax/nset_parse.h"
#include "model/syntax/rule_parse_int.h"
#include "model/syntax/rule_text_stmt.h"
#include "model/values.h"
#include "lib/util.h"

#define SET_NAME_MAX 255

/* The next word, or an error / completion offer when the rule ends here. */
static const struct nsh_word *need(struct nsh_rp *p, const char *what,
				   const struct nsh_rg_word *offer, int *rc)
{
	const struct nsh_word *t = nsh_rp_peek(p);

	if (t)
		return t;
	if (p->completing) {
		if (offer)
			nsh_rp_offer_tab(p, offer);
		*rc = -2;
	} else {
		*rc = nsh_rp_err_end(p, what);
	}
	return NULL;
}

/* An unquoted number (decimal or 0x); -1 + error otherwise. */
static int number(struct nsh_rp *p, const char *what, uint64_t max, uint64_t *out)
{
	const struct nsh_word *t;
	unsigned long long v;
	char *end;
	int rc = -1;

	if (!(t = need(p, what, NULL, &rc)))
		return rc;
	errno = 0;
	v = t->quoted || !isdigit((unsigned char)t->s[0]) ? 0 : strtoull(t->s, &end, 0);
	if (t->quoted || !isdigit((unsigned char)t->s[0]) || errno || *end)
		return nsh_rp_err_tok(p, t, what);
	if (v > max) {
		nsh_err_set(p->err, t->off, t->len, "Value %llu exceeds valid range 0-%llu", v,
			    (unsigned long long)max);
		return -1;
	}
	*out = v;
	p->pos++;
	return 0;
}

/* nft's words: "ip vs ip6" for reject, "ip6 vs. ip" for header fields (dot). */
static int proto_conflict_sep(struct nsh_rp *p, const struct nsh_word *t, const char *have,
			      const char *sep, const char *want)
{
	nsh_err_set(p->err, t->off, t->len, "conflicting protocols specified: %s %s %s", have,
		    sep, want);
	return -1;
}

static int proto_conflict(struct nsh_rp *p, const struct nsh_word *t, const char *have,
			  const char *want)
{
	return proto_conflict_sep(p, t, have, "vs", want);
}

/* reject [with tcp reset | with icmp|icmpv6|icmpx CODE] */
static int parse_reject(struct nsh_rp *p, size_t tok0)
{
	const struct nsh_word *t = nsh_rp_peek(p), *kt;
	const struct nsh_rg_word *w;
	struct nsh_reject rj = { 0 };
	struct nsh_stmt *s;
	int rc = 0, code;

	if (p->family == NSH_FAM_INET) {
		rj.type = NFT_REJECT_ICMPX_UNREACH;
		rj.code = 1;
	} else {
		rj.type = NFT_REJECT_ICMP_UNREACH;
		rj.family = (uint8_t)p->family;
		rj.code = p->family == NSH_FAM_IP6 ? 4 : 3;
	}
	if (!t && p->completing)
		nsh_rp_offer_tab(p, nsh_rg_with_word);
	if (t && !t->quoted && strcmp(t->s, "with") == 0) {
		p->pos++;
		rc = nsh_rp_word(p, nsh_rg_reject_kinds, "tcp, icmp, icmpv6 or icmpx", &w);
		if (rc)
			return rc;
		kt = &p->toks[p->pos - 1];
		if (w->id == 1) {
			rc = nsh_rp_word(p, nsh_rg_reset_word, "\"reset\"", &w);
			if (rc)
				return rc;
			if (p->l4proto >= 0 && p->l4proto != IPPROTO_TCP) {
				nsh_err_set(p->err, p->toks[tok0].off, p->toks[tok0].len,
					    "you cannot use tcp reset with this protocol");
				return -1;
			}
			rj.type = NFT_REJECT_TCP_RST;
			rj.code = 0;
			rj.family = 0;
			p->l4proto = IPPROTO_TCP;
			p->l4_any = true;
		} else {
			int fam = (int)w->id;

			if (!(t = need(p, "an ICMP code (port-unreachable, admin-prohibited...)",
				       NULL, &rc)))
				return rc;
			if (fam == 0 && p->family != NSH_FAM_INET) {
				nsh_err_set(p->err, t->off, t->len,
					    "abstracted ICMP unreachable not supported");
				return -1;
			}
			if (fam && p->family != NSH_FAM_INET && fam != p->family)
				return proto_conflict(p, t, nsh_family_name(p->family),
						      nsh_family_name(fam));
			if (fam && p->nfproto &&
			    p->nfproto != (fam == NSH_FAM_IP ? NFPROTO_IPV4 : NFPROTO_IPV6))
				return proto_conflict(p, t, p->nfproto == NFPROTO_IPV4 ? "ip" : "ip6",
						      nsh_family_name(fam));
			code = t->quoted ? -1 : nsh_icmp_code_parse(fam, t->s);
			if (code < 0) {
				uint32_t n;

				if (t->quoted || nsh_u32_parse(t->s, &n) < 0 || n > 255) {
					nsh_err_set(p->err, t->off, t->len,
						    "expected an %s code (port-unreachable, "
						    "admin-prohibited...), got \"%s\"", kt->s, t->s);
					return -1;
				}
				code = (int)n;
			}
			p->pos++;
			rj.type = fam ? NFT_REJECT_ICMP_UNREACH : NFT_REJECT_ICMPX_UNREACH;
			rj.code = (uint8_t)code;
			rj.family = (uint8_t)fam;
			if (fam && p->family == NSH_FAM_INET)
				p->nfproto = fam == NSH_FAM_IP ? NFPROTO_IPV4 : NFPROTO_IPV6;
		}
	}
	s = nsh_rp_stmt_add(p, NSH_ST_REJECT, tok0);
	s->reject = rj;
	nsh_rp_stmt_end(p);
	return 0;
}

/* N UNIT with UNIT bytes|kbytes|mbytes (a word of its own or before "/"). */
static int byte_unit(struct nsh_rp *p, const struct nsh_word *t, const char *u, size_t ulen,
		     uint64_t *n)
{
	const struct nsh_rg_word *w;

	for (w = nsh_rg_byte_units; w->word; w++)
		if (strlen(w->word) == ulen && strncmp(w->word, u, ulen) == 0) {
			*n <<= w->id;
			return 0;
		}
	nsh_err_set(p->err, t->off, t->len, "expected bytes, kbytes or mbytes, got \"%.*s\"",
		    (int)ulen, u);
	return -1;
}

/* "/second" ... "/week" after a rate. */
static int time_unit(struct nsh_rp *p, const struct nsh_word *t, const char *u, uint64_t *secs)
{
	const struct nsh_rg_word *w = nsh_rg_find(nsh_rg_time_units, u);

	if (!w) {
		nsh_err_set(p->err, t->off, t->len,
			    "Wrong rate format: expected N/second, minute, hour, day or week, got \"%s\"",
			    t->s);
		return -1;
	}
	*secs = w->id;
	return 0;
}

/* limit rate [over] N/UNIT [burst N packets] | N BYTES/UNIT [burst N BYTES] */
static int parse_limit(struct nsh_rp *p, size_t tok0)
{
	const struct nsh_rg_word *w;
	const struct nsh_word *t;
	struct nsh_limit l = { .burst = 5 };
	struct nsh_stmt *s;
	char *slash, *end;
	int rc = 0;

	if ((rc = nsh_rp_word(p, nsh_rg_rate_word, "\"rate\"", &w)))
		return rc;
	if (!(t = need(p, "a rate (10/second, 1 mbytes/second)", NULL, &rc)))
		return rc;
	if (!t->quoted && strcmp(t->s, "over") == 0) {
		l.over = true;
		p->pos++;
		if (!(t = need(p, "a rate (10/second, 1 mbytes/second)", NULL, &rc)))
			return rc;
	}
	if (t->quoted || !isdigit((unsigned char)t->s[0]))
		return nsh_rp_err_tok(p, t, "a rate (10/second, 1 mbytes/second)");
	errno = 0;
	l.rate = strtoull(t->s, &end, 10);
	if (errno || l.rate == 0 || (*end && *end != '/'))
		return nsh_rp_err_tok(p, t, "a rate (10/second, 1 mbytes/second)");
	if (*end == '/') {
		if (time_unit(p, t, end + 1, &l.unit) < 0)
			return -1;
		p->pos++;
	} else {
		p->pos++;
		if (!(t = need(p, "bytes/UNIT, kbytes/UNIT or mbytes/UNIT", nsh_rg_byte_units,
			       &rc)))
			return rc;
		slash = t->quoted ? NULL : strchr(t->s, '/');
		if (!slash)
			return nsh_rp_err_tok(p, t, "bytes/UNIT, kbytes/UNIT or mbytes/UNIT");
		if (byte_unit(p, t, t->s, (size_t)(slash - t->s), &l.rate) < 0 ||
		    time_unit(p, t, slash + 1, &l.unit) < 0)
			return -1;
		l.bytes = true;
		l.burst = 0;
		p->pos++;
	}
	t = nsh_rp_peek(p);
	if (t && !t->quoted && strcmp(t->s, "burst") == 0) {
		uint64_t n;

		p->pos++;
		if ((rc = number(p, "a burst size", UINT32_MAX, &n)))
			return rc;
		if (!(t = need(p, l.bytes ? "bytes, kbytes or mbytes" : "\"packets\"", NULL, &rc)))
			return rc;
		if (l.bytes) {
			if (byte_unit(p, t, t->s, strlen(t->s), &n) < 0)
				return -1;
		} else if (t->quoted || strcmp(t->s, "packets") != 0) {
			return nsh_rp_err_tok(p, t, "\"packets\"");
		}
		if (n > UINT32_MAX)
			return nsh_rp_err_tok(p, t, "a burst below 4 GiB");
		l.burst = (uint32_t)n;
		p->pos++;
	}
	s = nsh_rp_stmt_add(p, NSH_ST_LIMIT, tok0);
	s->limit = l;
	nsh_rp_stmt_end(p);
	return 0;
}

/* N bytes|kbytes|mbytes as two words. */
static int byte_count(struct nsh_rp *p, uint64_t *n)
{
	const struct nsh_word *t;
	int rc = 0;

	if ((rc = number(p, "a byte count", UINT32_MAX, n)))
		return rc;
	if (!(t = need(p, "bytes, kbytes or mbytes", nsh_rg_byte_units, &rc)))
		return rc;
	if (t->quoted || byte_unit(p, t, t->s, strlen(t->s), n) < 0)
		return -1;
	p->pos++;
	return 0;
}

/* quota [over] N UNIT [used N UNIT] */
static int parse_quota(struct nsh_rp *p, size_t tok0)
{
	const struct nsh_word *t = nsh_rp_peek(p);
	struct nsh_quota q = { 0 };
	struct nsh_stmt *s;
	int rc;

	if (t && !t->quoted && strcmp(t->s, "over") == 0) {
		q.over = true;
		p->pos++;
	}
	if ((rc = byte_count(p, &q.bytes)))
		return rc;
	t = nsh_rp_peek(p);
	if (t && !t->quoted && strcmp(t->s, "used") == 0) {
		p->pos++;
		if ((rc = byte_count(p, &q.used)))
			return rc;
	}
	s = nsh_rp_stmt_add(p, NSH_ST_QUOTA, tok0);
	s->quota = q;
	nsh_rp_stmt_end(p);
	return 0;
}

/* flags tcp sequence[,options] | tcp options | ip options | skuid | ether | all */
static int log_flags(struct nsh_rp *p, uint32_t *flags)
{
	const struct nsh_word *t;
	int rc = 0;

	if (!(t = need(p, "tcp, ip, skuid, ether or all", NULL, &rc)))
		return rc;
	p->pos++;
	if (!t->quoted && strcmp(t->s, "all") == 0) {
		*flags |= NF_LOG_MASK;
	} else if (!t->quoted && strcmp(t->s, "skuid") == 0) {
		*flags |= NF_LOG_UID;
	} else if (!t->quoted && strcmp(t->s, "ether") == 0) {
		*flags |= NF_LOG_MACDECODE;
	} else if (!t->quoted && strcmp(t->s, "ip") == 0) {
		if (!(t = need(p, "\"options\"", NULL, &rc)))
			return rc;
		if (t->quoted || strcmp(t->s, "options") != 0)
			return nsh_rp_err_tok(p, t, "\"options\"");
		p->pos++;
		*flags |= NF_LOG_IPOPT;
	} else if (!t->quoted && strcmp(t->s, "tcp") == 0) {
		for (;;) {
			if (!(t = need(p, "sequence or options", NULL, &rc)))
				return rc;
			if (!t->quoted && strcmp(t->s, "sequence") == 0)
				*flags |= NF_LOG_TCPSEQ;
			else if (!t->quoted && strcmp(t->s, "options") == 0)
				*flags |= NF_LOG_TCPOPT;
			else
				return nsh_rp_err_tok(p, t, "sequence or options");
			p->pos++;
			t = nsh_rp_peek(p);
			if (!t || t->quoted || strcmp(t->s, ","))
				break;
			p->pos++;
		}
	} else {
		p->pos--;
		return nsh_rp_err_tok(p, t, "tcp, ip, skuid, ether or all");
	}
	return 0;
}

/* log [prefix "P"] [level L] [group N] [snaplen N] [queue-threshold N] [flags F] */
static int parse_log(struct nsh_rp *p, size_t tok0)
{
	const struct nsh_rg_word *w;
	const struct nsh_word *t;
	struct nsh_log l = { 0 };
	struct nsh_stmt *s;
	uint64_t n;
	int rc = 0;

	for (;;) {
		t = nsh_rp_peek(p);
		if (!t) {
			if (p->completing)
				nsh_rp_offer_tab(p, nsh_rg_log_opts);
			break;
		}
		if (t->quoted || !(w = nsh_rg_find(nsh_rg_log_opts, t->s)))
			break;
		p->pos++;
		switch (w->id) {
		case NSH_LOG_PREFIX:
			if (!(t = need(p, "the prefix text in quotes", NULL, &rc)))
				goto err;
			if (strlen(t->s) >= NF_LOG_PREFIXLEN) {
				nsh_err_set(p->err, t->off, t->len, "log prefix is too long: at "
					    "most %d characters", NF_LOG_PREFIXLEN - 1);
				rc = -1;
				goto err;
			}
			free(l.prefix);
			l.prefix = nsh_xstrdup(t->s);
			p->pos++;
			break;
		case NSH_LOG_LEVEL:
			if (!(t = need(p, "a log level (emerg ... debug, audit)", nsh_rg_log_levels,
				       &rc)))
				goto err;
			if (t->quoted || !(w = nsh_rg_find(nsh_rg_log_levels, t->s))) {
				rc = nsh_rp_err_tok(p, t, "a log level (emerg ... debug, audit)");
				goto err;
			}
			l.level = w->id;
			w = &nsh_rg_log_opts[1];
			p->pos++;
			break;
		case NSH_LOG_GROUP:
			if ((rc = number(p, "a group number", 65535, &n)))
				goto err;
			l.group = (uint16_t)n;
			break;
		case NSH_LOG_SNAPLEN:
			if ((rc = number(p, "a snap length", UINT32_MAX, &n)))
				goto err;
			l.snaplen = (uint32_t)n;
			break;
		case NSH_LOG_QTHRESH:
			if ((rc = number(p, "a queue threshold", 65535, &n)))
				goto err;
			l.qthreshold = (uint16_t)n;
			break;
		case NSH_LOG_FLAGS:
			if ((rc = log_flags(p, &l.flags)))
				goto err;
			break;
		}
		l.has |= (uint8_t)w->id;
	}
	if ((l.has & NSH_LOG_LEVEL) && (l.has & NSH_LOG_GROUP)) {
		nsh_err_set(p->err, p->toks[tok0].off, p->toks[tok0].len,
			    "level and group are mutually exclusive");
		rc = -1;
		goto err;
	}
	if ((l.has & (NSH_LOG_SNAPLEN | NSH_LOG_QTHRESH)) && !(l.has & NSH_LOG_GROUP)) {
		nsh_err_set(p->err, p->toks[tok0].off, p->toks[tok0].len,
			    "snaplen and queue-threshold need a group");
		rc = -1;
		goto err;
	}
	if ((l.has & NSH_LOG_FLAGS) && (l.has & NSH_LOG_GROUP)) {
		nsh_err_set(p->err, p->toks[tok0].off, p->toks[tok0].len,
			    "flags and group are mutually exclusive");
		rc = -1;
		goto err;
	}
	s = nsh_rp_stmt_add(p, NSH_ST_LOG, tok0);
	s->log = l;
	nsh_rp_stmt_end(p);
	return 0;
err:
	free(l.prefix);
	return rc;
}

/* A settable field's protocol context, as a match on it would set it. */
static int field_context(struct nsh_rp *p, const struct nsh_setf *f, const struct nsh_word *t)
{
	static const char *const l4[256] = { [IPPROTO_TCP] = "tcp", [IPPROTO_UDP] = "udp" };

	if (f->nfproto) {
		const char *want = f->nfproto == NFPROTO_IPV4 ? "ip" : "ip6";

		if ((p->family == NSH_FAM_IP && f->nfproto != NFPROTO_IPV4) ||
		    (p->family == NSH_FAM_IP6 && f->nfproto != NFPROTO_IPV6))
			return proto_conflict_sep(p, t, nsh_family_name(p->family), "vs.", want);
		if (p->nfproto && p->nfproto != f->nfproto)
			return proto_conflict_sep(p, t, p->nfproto == NFPROTO_IPV4 ? "ip" : "ip6", "vs.", want);
		p->nfproto = f->nfproto;
	}
	if (f->l4proto) {
		if (p->l4proto >= 0 && p->l4proto != f->l4proto)
			return proto_conflict_sep(p, t, l4[p->l4proto] ? l4[p->l4proto] : "another",
					      "vs.", l4[f->l4proto]);
		p->l4proto = f->l4proto;
		p->l4_any = true;
	}
	return 0;
}

/* One value of a field's type, or -1 + error. */
static int field_value(struct nsh_rp *p, const struct nsh_setf *f, const struct nsh_word *t,
		       uint32_t *v)
{
	struct nsh_val pv;
	uint32_t n, maj, min;
	char *colon, *end;
	int d;

	if (t->quoted)
		goto bad;
	switch (f->fmt) {
	case NSH_SF_DSCP:
		if ((d = nsh_dscp_parse(t->s)) >= 0) {
			*v = (uint32_t)d;
			return 0;
		}
		break;
	case NSH_SF_PORT:
		if (nsh_val_parse(NSH_T_PORT, t->s, &pv) < 0)
			goto bad;
		*v = (uint32_t)(pv.data[0] << 8 | pv.data[1]);
		return 0;
	case NSH_SF_PRIO:
		if (strcmp(t->s, "none") == 0) {
			*v = 0;
			return 0;
		}
		if (strcmp(t->s, "root") == 0) {
			*v = 0xffffffff;
			return 0;
		}
		colon = strchr(t->s, ':');
		if (!colon)
			break;
		maj = colon == t->s ? 0 : (uint32_t)strtoul(t->s, &end, 16);
		if (colon != t->s && end != colon)
			goto bad;
		min = (uint32_t)strtoul(colon + 1, &end, 16);
		if (*end || !colon[1] || maj > 0xffff || min > 0xffff)
			goto bad;
		*v = maj << 16 | min;
		return 0;
	default:
		break;
	}
	if (nsh_u32_parse(t->s, &n) < 0)
		goto bad;
	if (n > f->max) {
		nsh_err_set(p->err, t->off, t->len, "Value %u exceeds valid range 0-%u", n, f->max);
		return -1;
	}
	*v = n;
	return 0;
bad:
	nsh_err_set(p->err, t->off, t->len, "expected a value for %s, got \"%s\"", f->name, t->s);
	return -1;
}

/* The field whose two words start at p->pos, when "set" follows them. */
const struct nsh_setf *nsh_rp_setf_ahead(struct nsh_rp *p)
{
	char name[64];
	const struct nsh_setf *f;

	if (p->pos + 2 > p->ntoks || p->toks[p->pos].quoted || p->toks[p->pos + 1].quoted)
		return NULL;
	snprintf(name, sizeof(name), "%s %s", p->toks[p->pos].s, p->toks[p->pos + 1].s);
	f = nsh_setf_lookup(name);
	if (!f)
		return NULL;
	if (p->pos + 2 == p->ntoks)
		return NULL;	/* completing "tcp dport ": the match's words */
	return !p->toks[p->pos + 2].quoted && strcmp(p->toks[p->pos + 2].s, "set") == 0 ? f : NULL;
}

/* FIELD set VALUE | MARK set MARKFIELD [& V] [^ V] [| V] ... */
int nsh_rp_set_stmt(struct nsh_rp *p, const struct nsh_setf *f)
{
	size_t tok0 = p->pos;
	const struct nsh_word *t = &p->toks[p->pos];
	struct nsh_setst st = { .f = f };
	struct nsh_stmt *s;
	const struct nsh_rg_word *w;
	int rc = 0;

	if ((rc = field_context(p, f, t)))
		return rc;
	p->pos += 2;
	if ((rc = nsh_rp_word(p, nsh_rg_set_word, "\"set\"", &w)))
		return rc;
	if (!(t = need(p, "a value", NULL, &rc)))
		return rc;
	if (f->fmt == NSH_SF_MARK && p->pos + 1 < p->ntoks && !t->quoted) {
		char name[64];

		snprintf(name, sizeof(name), "%s %s", t->s, p->toks[p->pos + 1].s);
		st.src = nsh_setf_lookup(name);
		if (st.src && st.src->fmt != NSH_SF_MARK)
			st.src = NULL;
	}
	if (!st.src) {
		if ((rc = field_value(p, f, t, &st.val)))
			return rc;
		p->pos++;
	} else {
		st.mask = 0xffffffff;
		p->pos += 2;
		for (;;) {
			uint32_t v;
			char op;

			t = nsh_rp_peek(p);
			if (!t || t->quoted || strlen(t->s) != 1 || !strchr("&|^", t->s[0]))
				break;
			op = t->s[0];
			p->pos++;
			if (!(t = need(p, "a mark", NULL, &rc)))
				return rc;
			if ((rc = field_value(p, f, t, &v)))
				return rc;
			p->pos++;
			if (op == '&') {
				st.mask &= v;
				st.xor &= v;
			} else if (op == '|') {
				st.mask &= ~v;
				st.xor |= v;
			} else {
				st.xor ^= v;
			}
		}
	}
	s = nsh_rp_stmt_add(p, NSH_ST_SET, tok0);
	s->set = st;
	nsh_rp_stmt_end(p);
	return 0;
}


/* add|update|delete @SET { KEY [. KEY] [timeout T] } */
static int parse_dynset(struct nsh_rp *p, uint8_t op, size_t tok0)
{
	struct nsh_dynset ds = { .op = op };
	const struct nsh_word *t, *kt;
	struct nsh_stmt *s;
	int rc = 0;

	if (!(t = need(p, "@SET (a named set of the table)", NULL, &rc)))
		return rc;
	if (t->quoted || t->s[0] != '@' || !t->s[1] || strlen(t->s + 1) > SET_NAME_MAX)
		return nsh_rp_err_tok(p, t, "@SET (a named set of the table)");
	p->pos++;
	if (!(t = need(p, "\"{\"", NULL, &rc)))
		return rc;
	if (t->quoted || strcmp(t->s, "{"))
		return nsh_rp_err_tok(p, t, "\"{\"");
	p->pos++;
	for (;;) {
		const struct nsh_key_def *key;

		if (!(kt = need(p, "a key (ip saddr, tcp dport...)", nsh_rg_key_words, &rc)))
			return rc;
		if (kt->quoted || !nsh_rg_find(nsh_rg_key_words, kt->s) || strcmp(kt->s, "numgen") == 0)
			return nsh_rp_err_tok(p, kt, "a key (ip saddr, tcp dport...)");
		if ((rc = nsh_rp_key(p, &key)))
			return rc;
		if ((rc = nsh_rp_key_context(p, key, kt)))
			return rc;
		if (ds.nkeys == 2) {
			nsh_err_set(p->err, kt->off, kt->len, "at most two keys are concatenated here");
			return -1;
		}
		ds.key[ds.nkeys++] = key;
		t = nsh_rp_peek(p);
		if (t && !t->quoted && strcmp(t->s, ".") == 0) {
			p->pos++;
			continue;
		}
		break;
	}
	t = nsh_rp_peek(p);
	if (t && !t->quoted && strcmp(t->s, "timeout") == 0) {
		p->pos++;
		if (!(t = need(p, "a time (10s, 3h, 1d2h)", NULL, &rc)))
			return rc;
		if (t->quoted || nsh_time_parse(t->s, &ds.timeout) < 0 || ds.timeout == 0)
			return nsh_rp_err_tok(p, t, "a time (10s, 3h, 1d2h)");
		p->pos++;
	}
	if (!(t = need(p, "\"}\"", NULL, &rc)))
		return rc;
	if (t->quoted || strcmp(t->s, "}"))
		return nsh_rp_err_tok(p, t, "\"}\"");
	p->pos++;
	ds.set = nsh_xstrdup(p->toks[tok0 + 1].s + 1);
	s = nsh_rp_stmt_add(p, NSH_ST_DYNSET, tok0);
	s->dynset = ds;
	nsh_rp_stmt_end(p);
	return 0;
}

int nsh_rp_stmt2(struct nsh_rp *p, uint32_t id, size_t tok0)
{
	switch (id) {
	case NSH_RG_REJECT:	return parse_reject(p, tok0);
	case NSH_RG_LIMIT:	return parse_limit(p, tok0);
	case NSH_RG_QUOTA:	return parse_quota(p, tok0);
	case NSH_RG_LOG:	return parse_log(p, tok0);
	case NSH_RG_NOTRACK:
		nsh_rp_stmt_add(p, NSH_ST_NOTRACK, tok0);
		return 0;
	case NSH_RG_DYN_ADD:	return parse_dynset(p, NFT_DYNSET_OP_ADD, tok0);
	case NSH_RG_DYN_UPDATE:	return parse_dynset(p, NFT_DYNSET_OP_UPDATE, tok0);
	case NSH_RG_DYN_DELETE:	return parse_dynset(p, NFT_DYNSET_OP_DELETE, tok0);
	}
	return -1;
}
