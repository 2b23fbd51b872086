/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Model -> nft syntax for reject, limit, quota, log, notrack, FIELD set
 * VALUE and set updates, as nft 1.0.6 lists them.
 */
#include <inttypes.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_log.h>

#include "model/syntax/rule_text.h"
#include "model/syntax/rule_text_stmt.h"
#include "lib/util.h"

static const char *const dscp_names[64] = {
	[0x00] = "cs0", [0x08] = "cs1", [0x10] = "cs2", [0x18] = "cs3", [0x20] = "cs4",
	[0x28] = "cs5", [0x30] = "cs6", [0x38] = "cs7", [0x01] = "lephb", [0x0a] = "af11",
	[0x0c] = "af12", [0x0e] = "af13", [0x12] = "af21", [0x14] = "af22", [0x16] = "af23",
	[0x1a] = "af31", [0x1c] = "af32", [0x1e] = "af33", [0x22] = "af41", [0x24] = "af42",
	[0x26] = "af43", [0x2c] = "va", [0x2e] = "ef",
};

int nsh_dscp_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(dscp_names); i++)
		if (dscp_names[i] && strcmp(dscp_names[i], name) == 0)
			return (int)i;
	/* nft's other names of 0 */
	if (strcmp(name, "df") == 0 || strcmp(name, "be") == 0)
		return 0;
	return -1;
}

static const char *const log_levels[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit",
};

int nsh_log_level_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(log_levels); i++)
		if (strcmp(log_levels[i], name) == 0)
			return (int)i;
	return -1;
}

/* A field's value as nft prints its datatype. */
void nsh_setf_val_render(const struct nsh_setf *f, uint32_t v, struct nsh_buf *b)
{
	switch (f->fmt) {
	case NSH_SF_MARK:
		nsh_buf_printf(b, "0x%08x", v);
		break;
	case NSH_SF_PRIO:
		if (v == 0xffffffff)
			nsh_buf_puts(b, "root");
		else if (v == 0)
			nsh_buf_puts(b, "none");
		else
			nsh_buf_printf(b, "%x:%x", v >> 16, v & 0xffff);
		break;
	case NSH_SF_DSCP:
		if (v < 64 && dscp_names[v])
			nsh_buf_puts(b, dscp_names[v]);
		else
			nsh_buf_printf(b, "0x%02x", v);
		break;
	default:
		nsh_buf_printf(b, "%u", v);
		break;
	}
}

/*
 * (x & mask) ^ xor as nft prints it: the xor bits outside the mask are an
 * or, "& (mask | or)" unless that is every bit, then "^ rest", "| or".
 */
static void render_bitwise(const struct nsh_setf *f, uint32_t mask, uint32_t xor,
			   struct nsh_buf *b)
{
	uint32_t or = xor & ~mask, x = xor & mask, m = mask | or;

	if (m != 0xffffffff) {
		nsh_buf_puts(b, " & ");
		nsh_setf_val_render(f, m, b);
	}
	if (x) {
		nsh_buf_puts(b, " ^ ");
		nsh_setf_val_render(f, x, b);
	}
	if (or) {
		nsh_buf_puts(b, " | ");
		nsh_setf_val_render(f, or, b);
	}
}

/* Bytes in nft's units: bytes, kbytes, mbytes (the largest that divides). */
static void render_bytes(uint64_t n, struct nsh_buf *b)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes" };
	size_t i = 0;

	while (i + 1 < NSH_ARRAY_SIZE(units) && n && n % 1024 == 0) {
		n /= 1024;
		i++;
	}
	nsh_buf_printf(b, "%" PRIu64 " %s", n, units[i]);
}

const char *nsh_time_unit_name(uint64_t secs)
{
	switch (secs) {
	case 1:		return "second";
	case 60:	return "minute";
	case 3600:	return "hour";
	case 86400:	return "day";
	case 604800:	return "week";
	default:	return NULL;
	}
}

/* A time in ms as nft prints it: 1d2h3m4s, 1s500ms. */
void nsh_time_render(uint64_t ms, struct nsh_buf *b)
{
	static const struct { uint64_t ms; const char *u; } parts[] = {
		{ 86400000, "d" }, { 3600000, "h" }, { 60000, "m" }, { 1000, "s" }, { 1, "ms" },
	};
	size_t i;

	if (!ms) {
		nsh_buf_puts(b, "0s");
		return;
	}
	for (i = 0; i < NSH_ARRAY_SIZE(parts); i++)
		if (ms >= parts[i].ms) {
			nsh_buf_printf(b, "%" PRIu64 "%s", ms / parts[i].ms, parts[i].u);
			ms %= parts[i].ms;
		}
}

static void render_reject(const struct nsh_reject *r, int family, struct nsh_buf *b)
{
	const char *name = nsh_icmp_code_name(r->family, r->type, r->code);

	nsh_buf_puts(b, "reject");
	switch (r->type) {
	case NFT_REJECT_TCP_RST:
		nsh_buf_puts(b, " with tcp reset");
		return;
	case NFT_REJECT_ICMPX_UNREACH:
		if (r->code == 1)
			return;
		nsh_buf_puts(b, " with icmpx ");
		break;
	default:
		if (family != NSH_FAM_INET &&
		    r->code == (r->family == NSH_FAM_IP6 ? 4 : 3))
			return;
		nsh_buf_puts(b, r->family == NSH_FAM_IP6 ? " with icmpv6 " : " with icmp ");
		break;
	}
	if (name)
		nsh_buf_puts(b, name);
	else
		nsh_buf_printf(b, "%u", r->code);
}

static void render_log(const struct nsh_log *l, struct nsh_buf *b)
{
	nsh_buf_puts(b, "log");
	if (l->has & NSH_LOG_PREFIX)
		nsh_buf_printf(b, " prefix \"%s\"", l->prefix ? l->prefix : "");
	if (l->has & NSH_LOG_GROUP)
		nsh_buf_printf(b, " group %u", l->group);
	if (l->has & NSH_LOG_SNAPLEN)
		nsh_buf_printf(b, " snaplen %u", l->snaplen);
	if (l->has & NSH_LOG_QTHRESH)
		nsh_buf_printf(b, " queue-threshold %u", l->qthreshold);
	if ((l->has & NSH_LOG_LEVEL) && l->level != 4)
		nsh_buf_printf(b, " level %s", l->level < NSH_ARRAY_SIZE(log_levels) ?
			       log_levels[l->level] : "?");
	if ((l->flags & NF_LOG_MASK) == NF_LOG_MASK) {
		nsh_buf_puts(b, " flags all");
		return;
	}
	if (l->flags & (NF_LOG_TCPSEQ | NF_LOG_TCPOPT)) {
		nsh_buf_puts(b, " flags tcp");
		if (l->flags & NF_LOG_TCPSEQ)
			nsh_buf_puts(b, " sequence");
		if (l->flags & NF_LOG_TCPOPT)
			nsh_buf_puts(b, l->flags & NF_LOG_TCPSEQ ? ",options" : " options");
	}
	if (l->flags & NF_LOG_IPOPT)
		nsh_buf_puts(b, " flags ip options");
	if (l->flags & NF_LOG_UID)
		nsh_buf_puts(b, " flags skuid");
	if (l->flags & NF_LOG_MACDECODE)
		nsh_buf_puts(b, " flags ether");
}

static void render_dynset(const struct nsh_dynset *d, struct nsh_buf *b)
{
	static const char *const ops[] = {
		[NFT_DYNSET_OP_ADD] = "add", [NFT_DYNSET_OP_UPDATE] = "update",
		[NFT_DYNSET_OP_DELETE] = "delete",
	};
	size_t i;

	nsh_buf_printf(b, "%s @%s { ", d->op < NSH_ARRAY_SIZE(ops) ? ops[d->op] : "?", d->set);
	for (i = 0; i < d->nkeys; i++)
		nsh_buf_printf(b, "%s%s", i ? " . " : "", d->key[i]->name);
	if (d->timeout) {
		nsh_buf_puts(b, " timeout ");
		nsh_time_render(d->timeout, b);
	}
	nsh_buf_puts(b, " }");
}

void nsh_stmt_more_render(const struct nsh_stmt *s, int family, struct nsh_buf *b)
{
	switch (s->kind) {
	case NSH_ST_REJECT:
		render_reject(&s->reject, family, b);
		break;
	case NSH_ST_LIMIT:
		nsh_buf_puts(b, s->limit.over ? "limit rate over " : "limit rate ");
		if (s->limit.bytes)
			render_bytes(s->limit.rate, b);
		else
			nsh_buf_printf(b, "%" PRIu64, s->limit.rate);
		nsh_buf_printf(b, "/%s", nsh_time_unit_name(s->limit.unit) ?
			       nsh_time_unit_name(s->limit.unit) : "?");
		if (s->limit.bytes && s->limit.burst) {
			nsh_buf_puts(b, " burst ");
			render_bytes(s->limit.burst, b);
		} else if (!s->limit.bytes && s->limit.burst != 5 && s->limit.burst) {
			nsh_buf_printf(b, " burst %u packets", s->limit.burst);
		}
		break;
	case NSH_ST_QUOTA:
		nsh_buf_puts(b, s->quota.over ? "quota over " : "quota ");
		render_bytes(s->quota.bytes, b);
		if (s->quota.used) {
			nsh_buf_puts(b, " used ");
			render_bytes(s->quota.used, b);
		}
		break;
	case NSH_ST_LOG:
		render_log(&s->log, b);
		break;
	case NSH_ST_NOTRACK:
		nsh_buf_puts(b, "notrack");
		break;
	case NSH_ST_SET:
		nsh_buf_printf(b, "%s set ", s->set.f->name);
		if (!s->set.src) {
			nsh_setf_val_render(s->set.f, s->set.val, b);
			break;
		}
		nsh_buf_puts(b, s->set.src->name);
		render_bitwise(s->set.f, s->set.mask, s->set.xor, b);
		break;
	case NSH_ST_DYNSET:
		render_dynset(&s->dynset, b);
		break;
	default:
		nsh_buf_puts(b, "[ ? ]");
		break;
	}
}
