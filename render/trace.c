/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `trace` laid out (render/trace.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "lib/buf.h"
#include "render/ct.h"
#include "render/trace.h"

static const char *proto_name(uint8_t p)
{
	const char *s = nsh_ct_proto_name(p);

	return s ? s : "?";
}

static void ep_put(struct nsh_buf *b, const struct nsh_trace_pkt *p, const uint8_t *a,
		   bool port, uint16_t v)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, a, s, sizeof(s)))
		snprintf(s, sizeof(s), "?");
	if (port && p->family == AF_INET6)
		nsh_buf_printf(b, "[%s]:%u", s, v);
	else if (port)
		nsh_buf_printf(b, "%s:%u", s, v);
	else
		nsh_buf_puts(b, s);
}

/* "syn", "syn|ack": tcp flags as nft names them. */
static void flags_put(struct nsh_buf *b, uint8_t f)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ecn",
					     "cwr" };
	bool first = true;
	unsigned i;

	for (i = 0; i < 8; i++)
		if (f & (1u << i)) {
			nsh_buf_printf(b, "%s%s", first ? "" : "|", names[i]);
			first = false;
		}
}

/* "tcp 198.51.100.100:40000 → 198.51.100.1:8080 [syn]" */
static void pkt_put(struct nsh_buf *b, const struct nsh_trace_pkt *p)
{
	if (!p->family) {
		nsh_buf_puts(b, "(no IP header)");
		return;
	}
	nsh_buf_printf(b, "%s ", proto_name(p->proto));
	ep_put(b, p, p->src, p->has_ports, p->sport);
	nsh_buf_puts(b, " → ");
	ep_put(b, p, p->dst, p->has_ports, p->dport);
	if (p->has_tcp_flags) {
		nsh_buf_puts(b, " [");
		flags_put(b, p->tcp_flags);
		nsh_buf_puts(b, "]");
	}
	if (p->has_icmp)
		nsh_buf_printf(b, " type %u code %u", p->icmp_type, p->icmp_code);
}

/* nft's word for a verdict code. */
static const char *verdict_name(int32_t v)
{
	switch (v) {
	case NF_ACCEPT:		return "accept";
	case NF_DROP:		return "drop";
	case NF_QUEUE:		return "queue";
	case NF_STOLEN:		return "stolen";
	case NFT_CONTINUE:	return "continue";
	case NFT_BREAK:		return "break";
	case NFT_JUMP:		return "jump";
	case NFT_GOTO:		return "goto";
	case NFT_RETURN:	return "return";
	default:		return (v & NF_VERDICT_MASK) == NF_QUEUE ? "queue" : "?";
	}
}

static const char *type_name(enum nsh_trace_type t)
{
	switch (t) {
	case NSH_TRACE_RULE:	return "rule";
	case NSH_TRACE_RETURN:	return "return";
	case NSH_TRACE_POLICY:	return "policy";
	default:		return "?";
	}
}

static const char *hook_of(const struct nsh_trace_step *s)
{
	return s->hook_known ? nsh_hook_name(s->hook) : "?";
}

/* "accept", "jump to web", "drop (policy)" */
static void verdict_put(struct nsh_buf *b, const struct nsh_trace_step *s)
{
	const struct nsh_trace_ev *e = s->ev;

	if (e->type == NSH_TRACE_POLICY) {
		nsh_buf_printf(b, "policy %s", verdict_name((int32_t)e->policy));
		return;
	}
	if (e->type == NSH_TRACE_RETURN) {
		nsh_buf_puts(b, "end of chain: back to the calling chain");
		return;
	}
	if (!e->has_verdict) {
		nsh_buf_puts(b, "(no verdict)");
		return;
	}
	nsh_buf_puts(b, verdict_name(e->verdict));
	if ((e->verdict == NFT_JUMP || e->verdict == NFT_GOTO) && e->target[0])
		nsh_buf_printf(b, " %s", e->target);
	if (s->nat)
		nsh_buf_puts(b, " (translated)");
}

static void text_step(struct nsh_out *o, const struct nsh_trace_step *s, struct nsh_buf *b)
{
	const struct nsh_trace_ev *e = s->ev;

	nsh_buf_reset(b);
	nsh_out_text(o, "  %-12s ", hook_of(s));
	nsh_out_ctext(o, NSH_C_TABLE, "%s %s", nsh_family_name(e->family), e->table);
	nsh_out_text(o, " ");
	nsh_out_ctext(o, NSH_C_CHAIN, "%s", e->chain);
	if (e->type == NSH_TRACE_RULE) {
		if (s->position)
			nsh_out_ctext(o, NSH_C_HANDLE, " rule %u", s->position);
		nsh_out_ctext(o, NSH_C_HANDLE, " (handle %llu)", (unsigned long long)e->handle);
		verdict_put(b, s);
		nsh_out_text(o, ": %s  ⇒ %s\n", s->rule ? s->rule : "(rule not read)", b->s);
	} else {
		verdict_put(b, s);
		nsh_out_text(o, ": %s\n", b->s);
	}
}

static void json_step(struct nsh_out *o, const struct nsh_trace_step *s, struct nsh_buf *b)
{
	const struct nsh_trace_ev *e = s->ev;

	nsh_out_obj_open(o, NULL);
	if (s->hook_known)
		nsh_out_string(o, NSH_C_NONE, "hook", NULL, nsh_hook_name(s->hook));
	else
		nsh_out_null(o, "hook", NULL);
	nsh_out_string(o, NSH_C_NONE, "family", NULL, nsh_family_name(e->family));
	nsh_out_string(o, NSH_C_NONE, "table", NULL, e->table);
	nsh_out_string(o, NSH_C_NONE, "chain", NULL, e->chain);
	if (s->chain_type)
		nsh_out_string(o, NSH_C_NONE, "chain_type", NULL, s->chain_type);
	nsh_out_string(o, NSH_C_NONE, "type", NULL, type_name(e->type));
	if (e->type == NSH_TRACE_RULE) {
		nsh_out_uint(o, NSH_C_NONE, "handle", NULL, e->handle);
		if (s->position)
			nsh_out_uint(o, NSH_C_NONE, "position", NULL, s->position);
		if (s->rule)
			nsh_out_string(o, NSH_C_NONE, "rule", NULL, s->rule);
		else
			nsh_out_null(o, "rule", NULL);
		nsh_out_bool(o, "opaque", NULL, s->opaque);
		nsh_out_bool(o, "nat", NULL, s->nat);
	}
	if (e->type == NSH_TRACE_POLICY)
		nsh_out_string(o, NSH_C_NONE, "verdict", NULL, verdict_name((int32_t)e->policy));
	else if (e->has_verdict)
		nsh_out_string(o, NSH_C_NONE, "verdict", NULL, verdict_name(e->verdict));
	if (e->has_verdict && e->target[0])
		nsh_out_string(o, NSH_C_NONE, "target", NULL, e->target);
	if (e->mark)
		nsh_out_uint(o, NSH_C_NONE, "mark", NULL, e->mark);
	(void)b;
	nsh_out_obj_close(o);
}

static void json_pkt(struct nsh_out *o, const struct nsh_trace_packet *p)
{
	const struct nsh_trace_pkt *k = &p->first;
	char s[INET6_ADDRSTRLEN];
	struct nsh_buf f;

	nsh_out_string(o, NSH_C_NONE, "family", NULL, k->family == AF_INET6 ? "ip6" : "ip");
	nsh_out_string(o, NSH_C_NONE, "proto", NULL, proto_name(k->proto));
	inet_ntop(k->family ? k->family : AF_INET, k->src, s, sizeof(s));
	nsh_out_string(o, NSH_C_NONE, "src", NULL, s);
	inet_ntop(k->family ? k->family : AF_INET, k->dst, s, sizeof(s));
	nsh_out_string(o, NSH_C_NONE, "dst", NULL, s);
	if (k->has_ports) {
		nsh_out_uint(o, NSH_C_NONE, "sport", NULL, k->sport);
		nsh_out_uint(o, NSH_C_NONE, "dport", NULL, k->dport);
	}
	if (k->has_tcp_flags) {
		nsh_buf_init(&f);
		flags_put(&f, k->tcp_flags);
		nsh_out_string(o, NSH_C_NONE, "tcp_flags", NULL, f.s ? f.s : "");
		nsh_buf_free(&f);
	}
	if (k->has_icmp) {
		nsh_out_uint(o, NSH_C_NONE, "icmp_type", NULL, k->icmp_type);
		nsh_out_uint(o, NSH_C_NONE, "icmp_code", NULL, k->icmp_code);
	}
	if (p->iif[0])
		nsh_out_string(o, NSH_C_NONE, "iif", NULL, p->iif);
	else
		nsh_out_null(o, "iif", NULL);
}

/* See render/trace.h. */
void nsh_trace_render(struct nsh_out *o, const struct nsh_trace_packet *p)
{
	struct nsh_buf b;
	size_t i;

	nsh_buf_init(&b);
	if (nsh_out_json(o)) {
		nsh_out_obj_open(o, NULL);
		nsh_out_uint(o, NSH_C_NONE, "packet", NULL, p->n);
		json_pkt(o, p);
		nsh_out_arr_open(o, "path");
		for (i = 0; i < p->nsteps; i++)
			json_step(o, &p->steps[i], &b);
		nsh_out_arr_close(o);
		if (p->has_ct) {
			nsh_out_arr_open(o, "conntrack");
			nsh_ct_render(o, &p->ct, &b);
			nsh_out_arr_close(o);
		} else {
			nsh_out_null(o, "conntrack", NULL);
		}
		nsh_out_obj_close(o);
		nsh_out_flush(o);
		nsh_buf_free(&b);
		return;
	}
	pkt_put(&b, &p->first);
	nsh_out_ctext(o, NSH_C_HEADER, "packet %u", p->n);
	nsh_out_text(o, "  %s", b.s);
	if (p->iif[0])
		nsh_out_text(o, "  in %s", p->iif);
	nsh_out_text(o, "\n");
	for (i = 0; i < p->nsteps; i++)
		text_step(o, &p->steps[i], &b);
	if (!p->nsteps)
		nsh_out_text(o, "  (no rule of any table decided anything for it)\n");
	nsh_buf_reset(&b);
	if (p->has_ct) {
		nsh_ct_render_line(&p->ct, &b);
		nsh_out_text(o, "  %-12s %s\n", "conntrack", b.s);
	} else {
		nsh_out_text(o, "  %-12s no entry (not tracked, or already gone)\n", "conntrack");
	}
	nsh_out_flush(o);
	nsh_buf_free(&b);
}
