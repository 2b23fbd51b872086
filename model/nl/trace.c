/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The trace table and the kernel's trace events (see trace.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/trace.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <netinet/in.h>

#include "lib/util.h"
#include "model/nft/to_nftnl.h"
#include "model/nl/batch.h"
#include "model/nl/sock.h"
#include "model/nl/trace.h"

#define TRACE_RCVBUF (4 << 20)	/* a burst of packets, several events each */
#define TRACE_BUFLEN (64u << 10)

struct nsh_trace {
	struct nsh_sock *ev;	/* NFNLGRP_NFTRACE */
	struct nsh_wire *w;	/* created the table: its owner */
	bool owned;
};

/* IPv4 or IPv6 header, then ports, tcp flags or the icmp type from th. */
bool nsh_trace_pkt_parse(const uint8_t *nh, size_t nhlen, const uint8_t *th, size_t thlen,
			 struct nsh_trace_pkt *p)
{
	memset(p, 0, sizeof(*p));
	if (!nh || nhlen < 1)
		return false;
	if ((nh[0] >> 4) == 4 && nhlen >= 20) {
		p->family = AF_INET;
		p->proto = nh[9];
		memcpy(p->src, nh + 12, 4);
		memcpy(p->dst, nh + 16, 4);
	} else if ((nh[0] >> 4) == 6 && nhlen >= 40) {
		/* the kernel gives the header up to the transport: its last next header */
		p->family = AF_INET6;
		p->proto = nh[6];
		memcpy(p->src, nh + 8, 16);
		memcpy(p->dst, nh + 24, 16);
	} else {
		return false;
	}
	if (!th)
		return true;
	switch (p->proto) {
	case IPPROTO_TCP:
		if (thlen >= 14) {
			p->has_tcp_flags = true;
			p->tcp_flags = th[13];
		}
		/* fall through */
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		if (thlen >= 4) {
			p->has_ports = true;
			p->sport = (uint16_t)(th[0] << 8 | th[1]);
			p->dport = (uint16_t)(th[2] << 8 | th[3]);
		}
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (thlen >= 2) {
			p->has_icmp = true;
			p->icmp_type = th[0];
			p->icmp_code = th[1];
		}
		if (thlen >= 6)
			p->icmp_id = (uint16_t)(th[4] << 8 | th[5]);
		break;
	default:
		break;
	}
	return true;
}

static void copy_str(char *dst, size_t n, const struct nftnl_trace *nt, uint16_t attr)
{
	const char *s = nftnl_trace_is_set(nt, attr) ? nftnl_trace_get_str(nt, attr) : NULL;

	snprintf(dst, n, "%s", s ? s : "");
}

/* One NFT_MSG_TRACE into ev; -1 when it is not one or is malformed. */
static int ev_parse(const struct nlmsghdr *nlh, struct nsh_trace_ev *ev)
{
	struct nftnl_trace *nt;
	const void *nh = NULL, *th = NULL;
	uint32_t nhlen = 0, thlen = 0;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES ||
	    (nlh->nlmsg_type & 0xff) != NFT_MSG_TRACE)
		return -1;
	nt = nftnl_trace_alloc();
	if (!nt)
		return -1;
	if (nftnl_trace_nlmsg_parse(nlh, nt) < 0) {
		nftnl_trace_free(nt);
		return -1;
	}
	memset(ev, 0, sizeof(*ev));
	ev->id = nftnl_trace_get_u32(nt, NFTNL_TRACE_ID);
	ev->type = (enum nsh_trace_type)nftnl_trace_get_u32(nt, NFTNL_TRACE_TYPE);
	ev->family = (uint8_t)nftnl_trace_get_u32(nt, NFTNL_TRACE_FAMILY);
	copy_str(ev->table, sizeof(ev->table), nt, NFTNL_TRACE_TABLE);
	copy_str(ev->chain, sizeof(ev->chain), nt, NFTNL_TRACE_CHAIN);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_RULE_HANDLE))
		ev->handle = nftnl_trace_get_u64(nt, NFTNL_TRACE_RULE_HANDLE);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_VERDICT)) {
		ev->has_verdict = true;
		ev->verdict = (int32_t)nftnl_trace_get_u32(nt, NFTNL_TRACE_VERDICT);
		copy_str(ev->target, sizeof(ev->target), nt, NFTNL_TRACE_JUMP_TARGET);
	}
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_POLICY)) {
		ev->has_policy = true;
		ev->policy = nftnl_trace_get_u32(nt, NFTNL_TRACE_POLICY);
	}
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_NFPROTO))
		ev->nfproto = nftnl_trace_get_u32(nt, NFTNL_TRACE_NFPROTO);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_IIF))
		ev->iif = nftnl_trace_get_u32(nt, NFTNL_TRACE_IIF);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_OIF))
		ev->oif = nftnl_trace_get_u32(nt, NFTNL_TRACE_OIF);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_MARK))
		ev->mark = nftnl_trace_get_u32(nt, NFTNL_TRACE_MARK);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_NETWORK_HEADER))
		nh = nftnl_trace_get_data(nt, NFTNL_TRACE_NETWORK_HEADER, &nhlen);
	if (nftnl_trace_is_set(nt, NFTNL_TRACE_TRANSPORT_HEADER))
		th = nftnl_trace_get_data(nt, NFTNL_TRACE_TRANSPORT_HEADER, &thlen);
	nsh_trace_pkt_parse(nh, nhlen, th, thlen, &ev->pkt);
	ev->own = ev->family == NSH_TRACE_FAMILY && !strcmp(ev->table, NSH_TRACE_TABLE);
	nftnl_trace_free(nt);
	return 0;
}

/* The first refusal of a batch: its errno, and the kernel's text into msg. */
static int batch_refused(const struct nsh_batch_result *res, char *msg, size_t msglen)
{
	if (msg && msglen)
		snprintf(msg, msglen, "%s", res->nerrs ? res->errs[0].msg : "");
	return res->nerrs ? res->errs[0].err : EIO;
}

/* The whole trace table in one batch; 0, 1 refused (*err, msg), -1 + errno. */
static int create(struct nsh_wire *w, const struct nsh_rule *pre, const struct nsh_rule *out,
		  uint32_t flags, int *err, char *msg, size_t msglen)
{
	static const struct {
		const char *name;
		uint32_t hook;
	} chains[] = { { "prerouting", NF_INET_PRE_ROUTING }, { "output", NF_INET_LOCAL_OUT } };
	const struct nsh_rule *rules[2] = { pre, out };
	struct nsh_batch_result res;
	struct nsh_batch *b;
	char comment[64];
	uint32_t genid, set_id = 1;
	bool restart;
	size_t i;
	int r, tries = 0;

again:
	if (nsh_wire_genid(w, &genid) < 0)
		return -1;
	b = nsh_batch_new(genid);
	snprintf(comment, sizeof(comment), "natsh trace, pid %ld", (long)getpid());
	nsh_batch_add_table_flags(b, NSH_TRACE_FAMILY, NSH_TRACE_TABLE, flags, comment);
	for (i = 0; i < 2; i++) {
		struct mnl_nlmsg_batch *mb;
		uint32_t *seq;

		if (!rules[i])
			continue;
		nsh_batch_add_chain(b, NSH_TRACE_FAMILY, NSH_TRACE_TABLE, chains[i].name, "filter",
				    chains[i].hook, NSH_TRACE_PRIO);
		mb = nsh_batch_enc_begin(b, &seq);
		if (nsh_rule_encode(mb, seq, NSH_TRACE_FAMILY, NSH_TRACE_TABLE, chains[i].name,
				    rules[i], NSH_ENC_APPEND, 0, &set_id) < 0) {
			int e = errno;

			nsh_batch_enc_end(b, false);
			nsh_batch_free(b);
			errno = e;
			return -1;
		}
		nsh_batch_enc_end(b, false);
	}
	r = nsh_batch_send(w, b, true, &res);
	if (r == 1)
		*err = batch_refused(&res, msg, msglen);
	restart = r == 1 && res.restart;
	nsh_batch_result_clear(&res);
	nsh_batch_free(b);
	/* another program committed between our read of the generation and this batch */
	if (restart && ++tries < 10)
		goto again;
	return r;
}

/* See trace.h. */
struct nsh_trace *nsh_trace_start(const struct nsh_rule *pre, const struct nsh_rule *out,
				  char *msg, size_t msglen)
{
	static const struct nsh_sock_opts o = {
		.bus = NETLINK_NETFILTER,
		.groups = 1u << (NFNLGRP_NFTRACE - 1),
		.nonblock = true,
		.rcvbuf = TRACE_RCVBUF,
		.buflen = TRACE_BUFLEN,
	};
	struct nsh_trace *t = nsh_xcalloc(1, sizeof(*t));
	int r, err = 0, e;

	if (msg && msglen)
		msg[0] = '\0';
	if (!(t->ev = nsh_sock_open(&o)) || !(t->w = nsh_wire_open()))
		goto fail;
	r = nsh_wire_table_exists(t->w, NSH_TRACE_FAMILY, NSH_TRACE_TABLE);
	if (r != 0) {
		if (r > 0)
			errno = EEXIST;
		goto fail;
	}
	t->owned = true;
	r = create(t->w, pre, out, NFT_TABLE_F_OWNER, &err, msg, msglen);
	if (r == 1 && (err == EOPNOTSUPP || err == EINVAL) && (!msg || !strstr(msg, "rule"))) {
		/* before Linux 5.12: no owner flag; natsh removes the table itself */
		t->owned = false;
		r = create(t->w, pre, out, 0, &err, msg, msglen);
	}
	if (r == 1)
		errno = err;
	if (r != 0)
		goto fail;
	return t;
fail:
	e = errno;
	nsh_sock_close(t->ev);
	nsh_wire_close(t->w);
	free(t);
	errno = e;
	return NULL;
}

bool nsh_trace_owned(const struct nsh_trace *t)
{
	return t->owned;
}

int nsh_trace_fd(const struct nsh_trace *t)
{
	return nsh_sock_fd(t->ev);
}

struct nsh_wire *nsh_trace_wire(struct nsh_trace *t)
{
	return t->w;
}

/* See trace.h. */
int nsh_trace_read(struct nsh_trace *t, nsh_trace_cb cb, void *data)
{
	int count = 0;

	for (;;) {
		ssize_t n = nsh_sock_recv(t->ev);
		const struct nlmsghdr *nlh;
		int left;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return count;
			return -1;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)t->ev->buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			struct nsh_trace_ev ev;

			if (ev_parse(nlh, &ev) < 0)
				continue;
			cb(&ev, data);
			count++;
		}
	}
}

/* See trace.h. */
int nsh_trace_stop(struct nsh_trace *t)
{
	struct nsh_batch_result res;
	struct nsh_batch *b;
	uint32_t genid;
	bool restart = true;
	int r = -1, e = 0, tries;

	if (!t)
		return 0;
	nsh_sock_close(t->ev);
	/* the owner's close would remove the table too: delete it anyway, and say so if not */
	for (tries = 0; restart && tries < 10; tries++) {
		restart = false;
		if (nsh_wire_genid(t->w, &genid) < 0) {
			e = errno;
			break;
		}
		b = nsh_batch_new(genid);
		nsh_batch_del_table(b, NSH_TRACE_FAMILY, NSH_TRACE_TABLE);
		r = nsh_batch_send(t->w, b, true, &res);
		if (r == 1) {
			restart = res.restart;
			e = res.errs[0].err;
			r = e == ENOENT ? 0 : -1;
		} else if (r < 0) {
			e = errno;
		}
		nsh_batch_result_clear(&res);
		nsh_batch_free(b);
	}
	nsh_wire_close(t->w);
	free(t);
	errno = e;
	return r < 0 ? -1 : 0;
}
