/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conntrack entries as text lines and JSON objects. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "render/ct.h"
#include "render/out.h"

/* Minimum width of one endpoint column, so IPv4 lines line up while streaming. */
#define EP_WIDTH 21

/* IPv4 by hand (hot path of big listings), IPv6 by inet_ntop. */
static void put_addr(struct nsh_buf *b, uint8_t family, const uint8_t *addr)
{
	char tmp[INET6_ADDRSTRLEN];

	if (family == AF_INET) {
		nsh_buf_put_u64(b, addr[0]);
		nsh_buf_putc(b, '.');
		nsh_buf_put_u64(b, addr[1]);
		nsh_buf_putc(b, '.');
		nsh_buf_put_u64(b, addr[2]);
		nsh_buf_putc(b, '.');
		nsh_buf_put_u64(b, addr[3]);
		return;
	}
	inet_ntop(AF_INET6, addr, tmp, sizeof(tmp));
	nsh_buf_puts(b, tmp);
}

/* IPv6 endpoints with ports get brackets, so the port is unambiguous. */
void nsh_ct_render_ep(const struct nsh_ct *ct, const uint8_t *addr, uint16_t port,
		      struct nsh_buf *b)
{
	bool ports = nsh_ct_has_ports(ct->proto);

	if (ports && ct->family == AF_INET6)
		nsh_buf_putc(b, '[');
	put_addr(b, ct->family, addr);
	if (ports) {
		if (ct->family == AF_INET6)
			nsh_buf_putc(b, ']');
		nsh_buf_putc(b, ':');
		nsh_buf_put_u64(b, port);
	}
}

/* Pad what was appended since start to width columns. */
static void pad_to(struct nsh_buf *b, size_t start, size_t width)
{
	while (b->len - start < width)
		nsh_buf_putc(b, ' ');
}

/* A state for every protocol, so the column never is empty. */
const char *nsh_ct_state_str(const struct nsh_ct *ct)
{
	const char *s;

	if (ct->has_tcp_state && (s = nsh_ct_tcp_state_name(ct->tcp_state)))
		return s;
	if (ct->status & (1u << 2))	/* IPS_ASSURED */
		return "ASSURED";
	if (!(ct->status & (1u << 1)))	/* IPS_SEEN_REPLY */
		return "UNREPLIED";
	return "REPLIED";
}

/* The NAT kind for JSON and filters. */
const char *nsh_ct_nat_str(const struct nsh_ct *ct)
{
	bool s = nsh_ct_is_snat(ct), d = nsh_ct_is_dnat(ct);

	return s && d ? "snat+dnat" : s ? "snat" : d ? "dnat" : NULL;
}

/* The line format documented in render/ct.h. */
void nsh_ct_render_line(const struct nsh_ct *ct, struct nsh_buf *b)
{
	const char *proto = nsh_ct_proto_name(ct->proto);
	struct nsh_ct_tuple x;
	size_t start;
	char hb[16];

	start = b->len;
	if (proto)
		nsh_buf_puts(b, proto);
	else
		nsh_buf_put_u64(b, ct->proto);
	pad_to(b, start, 5);
	start = b->len;
	nsh_buf_puts(b, nsh_ct_state_str(ct));
	pad_to(b, start, 12);
	start = b->len;
	nsh_ct_render_ep(ct, ct->orig.src, ct->orig.sport, b);
	pad_to(b, start, EP_WIDTH);
	nsh_buf_puts(b, " → ");
	start = b->len;
	nsh_ct_render_ep(ct, ct->orig.dst, ct->orig.dport, b);
	if (nsh_ct_is_snat(ct) || nsh_ct_is_dnat(ct)) {
		nsh_ct_translated(ct, &x);
		pad_to(b, start, EP_WIDTH);
		nsh_buf_puts(b, " ⇒ ");
		if (nsh_ct_is_snat(ct)) {
			nsh_ct_render_ep(ct, x.src, x.sport, b);
			nsh_buf_puts(b, " → ");
		}
		nsh_ct_render_ep(ct, x.dst, x.dport, b);
	}
	if (ct->proto == IPPROTO_ICMP || ct->proto == IPPROTO_ICMPV6) {
		nsh_buf_puts(b, " type ");
		nsh_buf_put_u64(b, ct->orig.icmp_type);
		nsh_buf_puts(b, " id ");
		nsh_buf_put_u64(b, ct->orig.icmp_id);
	}
	nsh_buf_puts(b, "  timeout ");
	nsh_buf_put_u64(b, ct->timeout);
	if (ct->mark) {
		nsh_buf_printf(b, "  mark 0x%08x", ct->mark);
	}
	if (ct->has_counters) {
		nsh_buf_puts(b, "  ");
		nsh_buf_put_u64(b, ct->packets[0] + ct->packets[1]);
		nsh_buf_puts(b, " pkts ");
		nsh_buf_puts(b, nsh_human(ct->bytes[0] + ct->bytes[1], hb));
	}
}

/* A tuple as a JSON object: src, dst and ports or icmp fields. */
static void json_tuple(struct nsh_out *o, const char *key, const struct nsh_ct *ct,
		       const struct nsh_ct_tuple *t, struct nsh_buf *s)
{
	nsh_out_obj_open(o, key);
	nsh_buf_reset(s);
	put_addr(s, ct->family, t->src);
	nsh_out_string(o, NSH_C_ADDR, "src", NULL, s->s);
	nsh_buf_reset(s);
	put_addr(s, ct->family, t->dst);
	nsh_out_string(o, NSH_C_ADDR, "dst", NULL, s->s);
	if (nsh_ct_has_ports(ct->proto)) {
		nsh_out_uint(o, NSH_C_NONE, "sport", NULL, t->sport);
		nsh_out_uint(o, NSH_C_NONE, "dport", NULL, t->dport);
	} else if (ct->proto == IPPROTO_ICMP || ct->proto == IPPROTO_ICMPV6) {
		nsh_out_uint(o, NSH_C_NONE, "type", NULL, t->icmp_type);
		nsh_out_uint(o, NSH_C_NONE, "code", NULL, t->icmp_code);
		nsh_out_uint(o, NSH_C_NONE, "id", NULL, t->icmp_id);
	}
	nsh_out_obj_close(o);
}

static const char *const status_names[] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT",
	"SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT",
	"TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD", "HW_OFFLOAD",
};

/* Every field of the entry; counters only when accounting recorded them. */
static void render_json(struct nsh_out *o, const struct nsh_ct *ct, struct nsh_buf *s)
{
	const char *proto = nsh_ct_proto_name(ct->proto);
	const char *nat = nsh_ct_nat_str(ct);
	struct nsh_ct_tuple x;
	unsigned i;

	nsh_out_obj_open(o, NULL);
	nsh_out_string(o, NSH_C_NONE, "family", NULL, ct->family == AF_INET6 ? "ip6" : "ip");
	if (proto)
		nsh_out_string(o, NSH_C_NONE, "protocol", NULL, proto);
	else
		nsh_out_uint(o, NSH_C_NONE, "protocol", NULL, ct->proto);
	nsh_out_string(o, NSH_C_NONE, "state", NULL, nsh_ct_state_str(ct));
	json_tuple(o, "original", ct, &ct->orig, s);
	json_tuple(o, "reply", ct, &ct->reply, s);
	if (nat) {
		nsh_out_string(o, NSH_C_NONE, "nat", NULL, nat);
		nsh_ct_translated(ct, &x);
		json_tuple(o, "translated", ct, &x, s);
	} else {
		nsh_out_null(o, "nat", NULL);
	}
	nsh_out_uint(o, NSH_C_NONE, "timeout", NULL, ct->timeout);
	nsh_out_uint(o, NSH_C_NONE, "mark", NULL, ct->mark);
	nsh_out_uint(o, NSH_C_NONE, "zone", NULL, ct->zone);
	nsh_out_uint(o, NSH_C_NONE, "id", NULL, ct->id);
	nsh_out_arr_open(o, "status");
	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (ct->status & (1u << i))
			nsh_out_string(o, NSH_C_NONE, NULL, NULL, status_names[i]);
	nsh_out_arr_close(o);
	if (ct->has_counters) {
		nsh_out_uint(o, NSH_C_COUNT, "packets", NULL, ct->packets[0] + ct->packets[1]);
		nsh_out_uint(o, NSH_C_COUNT, "bytes", NULL, ct->bytes[0] + ct->bytes[1]);
		nsh_out_obj_open(o, "counters");
		for (i = 0; i < 2; i++) {
			nsh_out_obj_open(o, i ? "reply" : "original");
			nsh_out_uint(o, NSH_C_COUNT, "packets", NULL, ct->packets[i]);
			nsh_out_uint(o, NSH_C_COUNT, "bytes", NULL, ct->bytes[i]);
			nsh_out_obj_close(o);
		}
		nsh_out_obj_close(o);
	}
	nsh_out_obj_close(o);
}

/* The one entry point of commands: text line or JSON object. */
void nsh_ct_render(struct nsh_out *o, const struct nsh_ct *ct, struct nsh_buf *scratch)
{
	if (nsh_out_json(o)) {
		render_json(o, ct, scratch);
		return;
	}
	nsh_buf_reset(scratch);
	nsh_ct_render_line(ct, scratch);
	nsh_buf_putc(scratch, '\n');
	nsh_out_text(o, "%s", scratch->s);
}
