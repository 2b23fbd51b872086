/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ctnetlink with libmnl.  Messages are decoded straight from the receive
 * buffer into a struct nsh_ct on the stack and handed to the caller, so
 * a dump never builds a list (only delete collects the entries it removes).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_compat.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "lib/util.h"
#include "model/nl/ct.h"
#include "model/nl/sock.h"

/* The kernel fills dump messages up to 32 KiB; a bit more avoids truncation. */
#define CT_BUFSZ (64 * 1024)
/* Messages per batch of requests with ACKs: keeps the ACKs within the socket buffer. */
#define CT_BATCH 128

/* A ctnetlink socket: requests, or (groups set) events. */
struct nsh_ctnl {
	struct nsh_sock *sock;
};

/* Open with extended ACKs (the kernel's reason); rcvbuf: room for a batch's ACKs or events. */
static struct nsh_ctnl *ctnl_open(unsigned groups, bool events, int rcvbuf)
{
	struct nsh_sock_opts o = {
		.bus = NETLINK_NETFILTER,
		.groups = groups,
		.ext_ack = true,
		.nonblock = events,
		.rcvbuf = rcvbuf,
		.buflen = CT_BUFSZ,
	};
	struct nsh_ctnl *c = nsh_xcalloc(1, sizeof(*c));

	c->sock = nsh_sock_open(&o);
	if (!c->sock) {
		nsh_ctnl_close(c);
		return NULL;
	}
	return c;
}

/* A request socket (no event groups); each ACK of a batch is its own skb. */
struct nsh_ctnl *nsh_ctnl_open(void)
{
	return ctnl_open(0, false, 1 << 20);
}

/* Close and free; NULL is a no-op; errno is preserved. */
void nsh_ctnl_close(struct nsh_ctnl *c)
{
	if (!c)
		return;
	nsh_sock_close(c->sock);
	free(c);
}

/* Start a ctnetlink message of type in buf. */
static struct nlmsghdr *ct_msg_start(void *buf, uint16_t type, uint16_t flags, uint8_t family,
				     uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

/* ---- decoding ---- */

/* Payload pointer if attr carries at least len bytes, else NULL. */
static const void *attr_data(const struct nlattr *a, size_t len)
{
	return mnl_attr_get_payload_len(a) >= len ? mnl_attr_get_payload(a) : NULL;
}

/* One-byte payload, length-checked. */
static int attr_u8(const struct nlattr *a, uint8_t *v)
{
	const uint8_t *p = attr_data(a, 1);

	if (!p)
		return -1;
	*v = *p;
	return 0;
}

/* Big-endian 16-bit payload, length-checked. */
static int attr_be16(const struct nlattr *a, uint16_t *v)
{
	const uint16_t *p = attr_data(a, 2);

	if (!p)
		return -1;
	*v = ntohs(*p);
	return 0;
}

/* Big-endian 32-bit payload, length-checked. */
static int attr_be32(const struct nlattr *a, uint32_t *v)
{
	const uint32_t *p = attr_data(a, 4);

	if (!p)
		return -1;
	*v = ntohl(*p);
	return 0;
}

/* Big-endian 64-bit payload, length-checked (may be unaligned). */
static int attr_be64(const struct nlattr *a, uint64_t *v)
{
	const uint8_t *p = attr_data(a, 8);
	uint64_t x;

	if (!p)
		return -1;
	memcpy(&x, p, 8);
	*v = be64toh(x);
	return 0;
}

/* CTA_TUPLE_IP: the addresses, which also tell the family. */
static int parse_ip(const struct nlattr *nest, struct nsh_ct_tuple *t, uint8_t *family)
{
	const struct nlattr *a;
	const void *p;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTA_IP_V4_SRC:
		case CTA_IP_V4_DST:
			if (!(p = attr_data(a, 4)))
				return -1;
			memcpy(mnl_attr_get_type(a) == CTA_IP_V4_SRC ? t->src : t->dst, p, 4);
			*family = AF_INET;
			break;
		case CTA_IP_V6_SRC:
		case CTA_IP_V6_DST:
			if (!(p = attr_data(a, 16)))
				return -1;
			memcpy(mnl_attr_get_type(a) == CTA_IP_V6_SRC ? t->src : t->dst, p, 16);
			*family = AF_INET6;
			break;
		}
	}
	return 0;
}

/* CTA_TUPLE_PROTO: protocol number, ports or icmp id/type/code. */
static int parse_proto(const struct nlattr *nest, struct nsh_ct_tuple *t, uint8_t *proto)
{
	const struct nlattr *a;
	int r = 0;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTA_PROTO_NUM:
			r |= attr_u8(a, proto);
			break;
		case CTA_PROTO_SRC_PORT:
			r |= attr_be16(a, &t->sport);
			break;
		case CTA_PROTO_DST_PORT:
			r |= attr_be16(a, &t->dport);
			break;
		case CTA_PROTO_ICMP_ID:
		case CTA_PROTO_ICMPV6_ID:
			r |= attr_be16(a, &t->icmp_id);
			break;
		case CTA_PROTO_ICMP_TYPE:
		case CTA_PROTO_ICMPV6_TYPE:
			r |= attr_u8(a, &t->icmp_type);
			break;
		case CTA_PROTO_ICMP_CODE:
		case CTA_PROTO_ICMPV6_CODE:
			r |= attr_u8(a, &t->icmp_code);
			break;
		}
	}
	return r;
}

/* CTA_TUPLE_ORIG/REPLY: addresses and protocol part of one direction. */
static int parse_tuple(const struct nlattr *nest, struct nsh_ct_tuple *t, struct nsh_ct *ct)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTA_TUPLE_IP:
			if (parse_ip(a, t, &ct->family) < 0)
				return -1;
			break;
		case CTA_TUPLE_PROTO:
			if (parse_proto(a, t, &ct->proto) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* CTA_COUNTERS_ORIG/REPLY: packets and bytes of one direction. */
static int parse_counters(const struct nlattr *nest, struct nsh_ct *ct, int dir)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTA_COUNTERS_PACKETS:
			if (attr_be64(a, &ct->packets[dir]) < 0)
				return -1;
			break;
		case CTA_COUNTERS_BYTES:
			if (attr_be64(a, &ct->bytes[dir]) < 0)
				return -1;
			break;
		}
	}
	ct->has_counters = true;
	return 0;
}

/* CTA_PROTOINFO: the TCP state (other protocols have none to show). */
static int parse_protoinfo(const struct nlattr *nest, struct nsh_ct *ct)
{
	const struct nlattr *a, *b;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != CTA_PROTOINFO_TCP)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if (mnl_attr_get_type(b) != CTA_PROTOINFO_TCP_STATE)
				continue;
			if (attr_u8(b, &ct->tcp_state) < 0)
				return -1;
			ct->has_tcp_state = true;
		}
	}
	return 0;
}

/* Bounds of every attribute are checked by the mnl iterators and attr_data(). */
int nsh_ct_parse(const struct nlmsghdr *nlh, struct nsh_ct *ct)
{
	const struct nfgenmsg *nfg;
	const struct nlattr *a;
	bool have_orig = false;
	int r = 0;

	memset(ct, 0, sizeof(*ct));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nfg)))
		goto inval;
	nfg = mnl_nlmsg_get_payload(nlh);
	ct->family = nfg->nfgen_family;
	mnl_attr_for_each(a, nlh, sizeof(*nfg)) {
		switch (mnl_attr_get_type(a)) {
		case CTA_TUPLE_ORIG:
			r = parse_tuple(a, &ct->orig, ct);
			have_orig = true;
			break;
		case CTA_TUPLE_REPLY:
			r = parse_tuple(a, &ct->reply, ct);
			break;
		case CTA_STATUS:
			r = attr_be32(a, &ct->status);
			break;
		case CTA_TIMEOUT:
			r = attr_be32(a, &ct->timeout);
			break;
		case CTA_MARK:
			r = attr_be32(a, &ct->mark);
			break;
		case CTA_ID:
			r = attr_be32(a, &ct->id);
			break;
		case CTA_ZONE:
			r = attr_be16(a, &ct->zone);
			break;
		case CTA_COUNTERS_ORIG:
			r = parse_counters(a, ct, 0);
			break;
		case CTA_COUNTERS_REPLY:
			r = parse_counters(a, ct, 1);
			break;
		case CTA_PROTOINFO:
			r = parse_protoinfo(a, ct);
			break;
		}
		if (r < 0)
			goto inval;
	}
	if (!have_orig || (ct->family != AF_INET && ct->family != AF_INET6))
		goto inval;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/* ---- encoding ---- */

/* Encode a tuple (addresses, protocol, ports or icmp fields) as the kernel expects. */
static void put_tuple(struct nlmsghdr *nlh, uint16_t type, const struct nsh_ct *ct,
		      const struct nsh_ct_tuple *t)
{
	struct nlattr *nt, *ni, *np;
	bool v6 = ct->family == AF_INET6;
	unsigned alen = v6 ? 16 : 4;

	nt = mnl_attr_nest_start(nlh, type);
	ni = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put(nlh, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, alen, t->src);
	mnl_attr_put(nlh, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, alen, t->dst);
	mnl_attr_nest_end(nlh, ni);
	np = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, ct->proto);
	if (nsh_ct_has_ports(ct->proto)) {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(t->sport));
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(t->dport));
	} else if (ct->proto == IPPROTO_ICMP) {
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMP_ID, htons(t->icmp_id));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_TYPE, t->icmp_type);
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_CODE, t->icmp_code);
	} else if (ct->proto == IPPROTO_ICMPV6) {
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMPV6_ID, htons(t->icmp_id));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_TYPE, t->icmp_type);
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMPV6_CODE, t->icmp_code);
	}
	mnl_attr_nest_end(nlh, np);
	mnl_attr_nest_end(nlh, nt);
}

/* A full entry message, the inverse of nsh_ct_parse (for unit tests). */
size_t nsh_ct_build(void *buf, size_t size, uint16_t type, uint16_t flags, const struct nsh_ct *ct)
{
	struct nlmsghdr *nlh;
	struct nlattr *n, *m;
	int d;

	if (size < 1024)
		return 0;
	nlh = ct_msg_start(buf, type, flags, ct->family, 1);
	put_tuple(nlh, CTA_TUPLE_ORIG, ct, &ct->orig);
	put_tuple(nlh, CTA_TUPLE_REPLY, ct, &ct->reply);
	mnl_attr_put_u32(nlh, CTA_STATUS, htonl(ct->status));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(ct->timeout));
	mnl_attr_put_u32(nlh, CTA_MARK, htonl(ct->mark));
	mnl_attr_put_u32(nlh, CTA_ID, htonl(ct->id));
	if (ct->has_tcp_state) {
		n = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
		m = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, ct->tcp_state);
		mnl_attr_nest_end(nlh, m);
		mnl_attr_nest_end(nlh, n);
	}
	for (d = 0; ct->has_counters && d < 2; d++) {
		n = mnl_attr_nest_start(nlh, d ? CTA_COUNTERS_REPLY : CTA_COUNTERS_ORIG);
		mnl_attr_put_u64(nlh, CTA_COUNTERS_PACKETS, htobe64(ct->packets[d]));
		mnl_attr_put_u64(nlh, CTA_COUNTERS_BYTES, htobe64(ct->bytes[d]));
		mnl_attr_nest_end(nlh, n);
	}
	return nlh->nlmsg_len;
}

/* ---- requests ---- */

struct dump_state {
	const struct nsh_ct_filter *f;
	nsh_ct_cb cb;
	void *data;
	int stop;	/* 1: caller stopped, -1: caller failed */
};

/* Decode, filter and hand one entry to the caller; undecodable ones are skipped. */
static int dump_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *st = data;
	struct nsh_ct ct;
	int r;

	if (nsh_ct_parse(nlh, &ct) < 0)
		return MNL_CB_OK;	/* skip what we cannot decode */
	if (st->f && !nsh_ct_filter_match(st->f, &ct))
		return MNL_CB_OK;
	r = st->cb(&ct, st->data);
	if (r) {
		st->stop = r > 0 ? 1 : -1;
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

/* Send one request and run cb over every answer until DONE or the ACK. */
static int ctnl_talk(struct nsh_ctnl *c, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		     int *stopped)
{
	if (nsh_sock_talk(c->sock, nlh, cb, data) < 0)
		return -1;
	/* a stop before DONE leaves the kernel mid-dump: start afresh */
	if (stopped && *stopped)
		return nsh_sock_reset(c->sock);
	return 0;
}

/* One dump request; entries flow to cb straight from the receive buffer. */
int nsh_ct_dump(struct nsh_ctnl *c, const struct nsh_ct_filter *f, nsh_ct_cb cb, void *data)
{
	struct dump_state st = { .f = f, .cb = cb, .data = data };
	struct nlmsghdr *nlh;
	char req[64];
	int r;

	nlh = ct_msg_start(req, IPCTNL_MSG_CT_GET, NLM_F_DUMP, f ? f->family : 0,
			   nsh_sock_seq(c->sock));
	r = ctnl_talk(c, nlh, dump_msg_cb, &st, &st.stop);
	if (st.stop < 0) {
		if (!errno)
			errno = ECANCELED;
		return -1;
	}
	return r;
}

/* CTA_STATS_GLOBAL_ENTRIES of the statistics answer. */
static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) == CTA_STATS_GLOBAL_ENTRIES) {
			uint32_t v;

			if (attr_be32(a, &v) == 0)
				*(uint64_t *)data = v;
		}
	}
	return MNL_CB_OK;
}

/* Counting walk for kernels without global statistics. */
static int count_cb(const struct nsh_ct *ct, void *data)
{
	(void)ct;
	++*(uint64_t *)data;
	return 0;
}

/* IPCTNL_MSG_CT_GET_STATS gives the count without walking the table. */
int nsh_ct_count(struct nsh_ctnl *c, uint64_t *n)
{
	struct nlmsghdr *nlh;
	char req[64];

	*n = UINT64_MAX;
	nlh = ct_msg_start(req, IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, AF_UNSPEC,
			   nsh_sock_seq(c->sock));
	if (ctnl_talk(c, nlh, stats_cb, n, NULL) == 0 && *n != UINT64_MAX)
		return 0;
	/* kernels without global stats: count by walking the table */
	*n = 0;
	return nsh_ct_dump(c, NULL, count_cb, n);
}

/* Entries to delete, collected during the dump (deleting while dumping skips some). */
struct victims {
	struct nsh_ct *v;
	size_t n, cap;
};

/* Keep a copy of each entry to delete after the dump. */
static int collect_cb(const struct nsh_ct *ct, void *data)
{
	struct victims *vs = data;

	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 256;
		vs->v = nsh_xrealloc(vs->v, vs->cap * sizeof(*vs->v));
	}
	vs->v[vs->n++] = *ct;
	return 0;
}

/* Append a delete request for ct to buf at off; returns the new offset. */
static size_t put_delete(char *buf, size_t off, const struct nsh_ct *ct, uint32_t seq)
{
	struct nlmsghdr *nlh = ct_msg_start(buf + off, IPCTNL_MSG_CT_DELETE, NLM_F_ACK,
					    ct->family, seq);

	put_tuple(nlh, CTA_TUPLE_ORIG, ct, &ct->orig);
	if (ct->id)
		mnl_attr_put_u32(nlh, CTA_ID, htonl(ct->id));
	if (ct->zone)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(ct->zone));
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* The ACKs of a batch: how many succeeded, the first error not tolerated. */
struct acks {
	uint64_t *ok;
	int tolerate;
	int err;
};

/* One answer: ACKs count, errors other than the tolerated one are kept. */
static void ack_cb(void *data, const struct nlmsghdr *nlh, const struct nsh_sock_err *x)
{
	struct acks *a = data;

	if (!x)
		return;
	if (!x->err)
		(*a->ok)++;
	else if (x->err != a->tolerate && !a->err)
		a->err = x->err;
}

/*
 * Send the messages in buf (nmsg of them, each with NLM_F_ACK) and read one
 * ACK per message.  *ok counts successes; ENOENT (gone already, or EEXIST
 * for creates when ignore_exist) is tolerated; other errors are returned.
 */
static int send_batch(struct nsh_ctnl *c, const char *buf, size_t len, size_t nmsg,
		      uint64_t *ok, int tolerate)
{
	struct acks a = { ok, tolerate, 0 };

	if (nsh_sock_batch(c->sock, buf, len, nmsg, ack_cb, &a) < 0)
		return -1;
	if (a.err) {
		errno = a.err;
		return -1;
	}
	return 0;
}

/* Tuple and id name exactly one entry: a reused tuple is not hit. */
int nsh_ct_delete_one(struct nsh_ctnl *c, const struct nsh_ct *ct)
{
	char req[1024];
	uint64_t ok = 0;
	size_t len = put_delete(req, 0, ct, nsh_sock_seq(c->sock));

	return send_batch(c, req, len, 1, &ok, 0);
}

/* The reply to a get: the one entry. */
static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_ct *out = data;

	if ((nlh->nlmsg_type & 0xff) == IPCTNL_MSG_CT_NEW && nsh_ct_parse(nlh, out) < 0)
		out->family = 0;
	return MNL_CB_OK;
}

/* See ct.h: the kernel looks the tuple up in both directions. */
int nsh_ct_get(struct nsh_ctnl *c, const struct nsh_ct *key, struct nsh_ct *out)
{
	struct nlmsghdr *nlh;
	char req[512];

	memset(out, 0, sizeof(*out));
	nlh = ct_msg_start(req, IPCTNL_MSG_CT_GET, NLM_F_ACK, key->family, nsh_sock_seq(c->sock));
	put_tuple(nlh, CTA_TUPLE_ORIG, key, &key->orig);
	if (ctnl_talk(c, nlh, get_cb, out, NULL) < 0)
		return -1;
	if (!out->family) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* Collect during the dump, delete after it, in ACKed batches. */
int nsh_ct_delete(struct nsh_ctnl *c, const struct nsh_ct_filter *f, uint64_t *deleted)
{
	struct victims vs = { 0 };
	uint64_t ok = 0;
	char *out = NULL;
	size_t i, off = 0, nmsg = 0;
	int r = -1;

	if (!f || nsh_ct_filter_is_empty(f)) {
		errno = EINVAL;
		return -1;
	}
	if (nsh_ct_dump(c, f, collect_cb, &vs) < 0)
		goto out;
	out = nsh_xmalloc(CT_BUFSZ / 2);
	for (i = 0; i < vs.n; i++) {
		if (off + 512 > CT_BUFSZ / 2 || nmsg == CT_BATCH) {
			if (send_batch(c, out, off, nmsg, &ok, ENOENT) < 0)
				goto out;
			off = nmsg = 0;
		}
		off = put_delete(out, off, &vs.v[i], nsh_sock_seq(c->sock));
		nmsg++;
	}
	if (nmsg && send_batch(c, out, off, nmsg, &ok, ENOENT) < 0)
		goto out;
	r = 0;
out:
	if (deleted)
		*deleted = ok;
	free(out);
	free(vs.v);
	return r;
}

/* A DELETE without a tuple empties the table of the family. */
int nsh_ct_flush(struct nsh_ctnl *c, uint8_t family)
{
	struct nlmsghdr *nlh;
	char req[64];

	nlh = ct_msg_start(req, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, family, nsh_sock_seq(c->sock));
	return ctnl_talk(c, nlh, NULL, NULL, NULL);
}

/* ---- events ---- */

/* Subscribe to conntrack event groups, non-blocking, with a large buffer. */
struct nsh_ctnl *nsh_ct_events_open(unsigned mask)
{
	unsigned groups = 0;

	if (mask & NSH_CT_EV_NEW)
		groups |= NF_NETLINK_CONNTRACK_NEW;
	if (mask & NSH_CT_EV_UPDATE)
		groups |= NF_NETLINK_CONNTRACK_UPDATE;
	if (mask & NSH_CT_EV_DESTROY)
		groups |= NF_NETLINK_CONNTRACK_DESTROY;
	/* a burst of events should not overflow between two draws */
	return ctnl_open(groups, true, 4 << 20);
}

/* The socket, for poll(). */
int nsh_ctnl_fd(const struct nsh_ctnl *c)
{
	return nsh_sock_fd(c->sock);
}

/* Drain every pending event without blocking. */
int nsh_ct_events_read(struct nsh_ctnl *c, nsh_ct_ev_cb cb, void *data)
{
	int count = 0;

	for (;;) {
		ssize_t n = nsh_sock_recv(c->sock);
		const struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return count;
			return -1;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)c->sock->buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			uint8_t type = nlh->nlmsg_type & 0xff;
			enum nsh_ct_event ev;
			struct nsh_ct ct;

			if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK)
				continue;
			if (type == IPCTNL_MSG_CT_DELETE)
				ev = NSH_CT_EV_DESTROY;
			else if (type == IPCTNL_MSG_CT_NEW)
				ev = (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) ?
					     NSH_CT_EV_NEW : NSH_CT_EV_UPDATE;
			else
				continue;
			if (nsh_ct_parse(nlh, &ct) < 0)
				continue;
			cb(ev, &ct, data);
			count++;
		}
	}
}

/* ---- injection ---- */

/* Append a create request for one entry (reply tuple = inverse; DNAT via CTA_NAT_DST). */
static size_t put_create(char *buf, size_t off, const struct nsh_ct_new *v, uint32_t seq)
{
	const struct nsh_ct *ct = &v->ct;
	struct nlmsghdr *nlh = ct_msg_start(buf + off, IPCTNL_MSG_CT_NEW,
					    NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, ct->family, seq);
	struct nsh_ct_tuple r = { 0 };
	struct nlattr *n, *m;
	unsigned alen = ct->family == AF_INET6 ? 16 : 4;

	put_tuple(nlh, CTA_TUPLE_ORIG, ct, &ct->orig);
	memcpy(r.src, ct->orig.dst, 16);
	memcpy(r.dst, ct->orig.src, 16);
	r.sport = ct->orig.dport;
	r.dport = ct->orig.sport;
	r.icmp_id = ct->orig.icmp_id;
	r.icmp_type = ct->orig.icmp_type == 8 ? 0 : ct->orig.icmp_type == 128 ? 129 : 0;
	put_tuple(nlh, CTA_TUPLE_REPLY, ct, &r);
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(ct->timeout ? ct->timeout : 600));
	if (ct->has_tcp_state) {
		n = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
		m = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, ct->tcp_state);
		mnl_attr_nest_end(nlh, m);
		mnl_attr_nest_end(nlh, n);
	}
	if (v->dnat) {
		n = mnl_attr_nest_start(nlh, CTA_NAT_DST);
		mnl_attr_put(nlh, alen == 16 ? CTA_NAT_V6_MINIP : CTA_NAT_V4_MINIP, alen, v->nat_addr);
		mnl_attr_put(nlh, alen == 16 ? CTA_NAT_V6_MAXIP : CTA_NAT_V4_MAXIP, alen, v->nat_addr);
		if (v->nat_port) {
			m = mnl_attr_nest_start(nlh, CTA_NAT_PROTO);
			mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MIN, htons(v->nat_port));
			mnl_attr_put_u16(nlh, CTA_PROTONAT_PORT_MAX, htons(v->nat_port));
			mnl_attr_nest_end(nlh, m);
		}
		mnl_attr_nest_end(nlh, n);
	}
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Creates in batches of CT_BATCH messages with ACKs; EEXIST is not an error. */
long nsh_ct_create(struct nsh_ctnl *c, const struct nsh_ct_new *v, size_t n)
{
	char *out = nsh_xmalloc(CT_BUFSZ / 2);
	size_t i, off = 0, nmsg = 0;
	uint64_t ok = 0;
	long r = -1;

	for (i = 0; i < n; i++) {
		if (off + 512 > CT_BUFSZ / 2 || nmsg == CT_BATCH) {
			if (send_batch(c, out, off, nmsg, &ok, EEXIST) < 0)
				goto out;
			off = nmsg = 0;
		}
		off = put_create(out, off, &v[i], nsh_sock_seq(c->sock));
		nmsg++;
	}
	if (nmsg && send_batch(c, out, off, nmsg, &ok, EEXIST) < 0)
		goto out;
	r = (long)ok;
out:
	free(out);
	return r;
}

/* Read the sysctl of the current namespace. */
int nsh_ct_acct_enabled(void)
{
	FILE *f = fopen("/proc/sys/net/netfilter/nf_conntrack_acct", "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}
