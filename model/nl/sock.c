/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The netlink socket: open, reset, the receive loop, batches, events, generation id. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <libnftnl/common.h>

#include "lib/util.h"
#include "model/nl/sock.h"

/* Force a buffer size, else ask for it (capped by the sysctl); 0 when forced. */
static int buf_size(int fd, int force, int plain, int size)
{
	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) == 0)
		return 0;
	if (plain)
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
	return -1;
}

/* A bound mnl socket with the options of o; NULL + errno. */
static struct mnl_socket *sock_new(const struct nsh_sock_opts *o)
{
	struct mnl_socket *m = mnl_socket_open(o->bus);
	int one = 1, fd, fl, err;

	if (!m)
		return NULL;
	if (mnl_socket_bind(m, o->groups, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	/* harmless where the kernel does not know them */
	if (o->ext_ack)
		mnl_socket_setsockopt(m, NETLINK_EXT_ACK, &one, sizeof(one));
	if (o->cap_ack)
		mnl_socket_setsockopt(m, NETLINK_CAP_ACK, &one, sizeof(one));
	fd = mnl_socket_get_fd(m);
	if (o->rcvbuf)
		buf_size(fd, SO_RCVBUFFORCE, SO_RCVBUF, o->rcvbuf);
	if (o->nonblock) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
			goto err;
	}
	return m;
err:
	err = errno;
	mnl_socket_close(m);
	errno = err;
	return NULL;
}

/* See sock.h. */
struct nsh_sock *nsh_sock_open(const struct nsh_sock_opts *o)
{
	struct nsh_sock *s = nsh_xcalloc(1, sizeof(*s));

	s->o = *o;
	s->mnl = sock_new(o);
	if (!s->mnl) {
		nsh_sock_close(s);
		return NULL;
	}
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (uint32_t)time(NULL);
	s->buf = nsh_xmalloc(o->buflen);
	return s;
}

/* See sock.h. */
void nsh_sock_close(struct nsh_sock *s)
{
	int e = errno;

	if (!s)
		return;
	if (s->mnl)
		mnl_socket_close(s->mnl);
	free(s->buf);
	free(s);
	errno = e;
}

/* Open the new one first: a failure leaves the old socket usable. */
int nsh_sock_reset(struct nsh_sock *s)
{
	struct mnl_socket *m = sock_new(&s->o);

	if (!m)
		return -1;
	mnl_socket_close(s->mnl);
	s->mnl = m;
	s->portid = mnl_socket_get_portid(m);
	s->sndbuf = s->rcvbuf = 0;
	return 0;
}

/* See sock.h. */
int nsh_sock_fd(const struct nsh_sock *s)
{
	return mnl_socket_get_fd(s->mnl);
}

/* See sock.h. */
uint32_t nsh_sock_seq(struct nsh_sock *s)
{
	return ++s->seq;
}

/* Only upwards, and only remembered when the kernel took it. */
void nsh_sock_grow(struct nsh_sock *s, int snd, int rcv)
{
	int fd = mnl_socket_get_fd(s->mnl);

	if (snd > s->sndbuf && buf_size(fd, SO_SNDBUFFORCE, 0, snd) == 0)
		s->sndbuf = snd;
	if (rcv > s->rcvbuf && buf_size(fd, SO_RCVBUFFORCE, 0, rcv) == 0)
		s->rcvbuf = rcv;
}

/* One datagram into s->buf (wait false: MSG_DONTWAIT); a signal does not end it. */
static ssize_t sock_rx(struct nsh_sock *s, bool wait)
{
	ssize_t n;

	do {
		if (wait)
			n = mnl_socket_recvfrom(s->mnl, s->buf, s->o.buflen);
		else
			n = recv(mnl_socket_get_fd(s->mnl), s->buf, s->o.buflen, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* See sock.h: blocking or not as the socket was opened. */
ssize_t nsh_sock_recv(struct nsh_sock *s)
{
	return sock_rx(s, true);
}

/*
 * The receive loop of every request: send, then hand each datagram to fn,
 * which says -1 (failed), 0 (done) or 1 (more to come).
 */
static int talk(struct nsh_sock *s, const struct nlmsghdr *nlh,
		int (*fn)(struct nsh_sock *s, size_t len, uint32_t seq, void *arg), void *arg)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int r;

	if (mnl_socket_sendto(s->mnl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = sock_rx(s, true);
		if (n < 0)
			return -1;
		r = fn(s, (size_t)n, seq, arg);
		if (r <= 0)
			return r;
		if (!(nlh->nlmsg_flags & (NLM_F_DUMP | NLM_F_ACK)))
			return 0;	/* a plain get: one reply, no DONE */
	}
}

struct batches {
	nsh_sock_batch_fn fn;
	void *data;
};

/* Headers first (an error, the end, or more to come?), then the caller's batch. */
static int run_batch(struct nsh_sock *s, size_t len, uint32_t seq, void *arg)
{
	const struct batches *b = arg;
	int ret, r;

	ret = mnl_cb_run(s->buf, len, seq, s->portid, NULL, NULL);
	if (ret < 0)
		return -1;
	r = b->fn(b->data, s->buf, len, seq, s->portid);
	if (r < 0)
		return -1;
	return r == 0 || ret == MNL_CB_STOP ? 0 : 1;
}

/* See sock.h. */
int nsh_sock_talk_batches(struct nsh_sock *s, const struct nlmsghdr *nlh, nsh_sock_batch_fn fn,
			  void *data)
{
	struct batches b = { fn, data };

	return talk(s, nlh, run_batch, &b);
}

struct msgs {
	mnl_cb_t cb;
	void *data;
};

/* Every message through the caller's callback, in one pass. */
static int run_msgs(struct nsh_sock *s, size_t len, uint32_t seq, void *arg)
{
	const struct msgs *m = arg;
	int ret = mnl_cb_run(s->buf, len, seq, s->portid, m->cb, m->data);

	return ret < 0 ? -1 : ret > MNL_CB_STOP;
}

/* See sock.h. */
int nsh_sock_talk(struct nsh_sock *s, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct msgs m = { cb, data };

	return talk(s, nlh, run_msgs, &m);
}

/* The extended ACK attributes: message and offset of the bad attribute. */
static int extack_cb(const struct nlattr *a, void *data)
{
	struct nsh_sock_err *x = data;

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			x->msg = mnl_attr_get_str(a);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			x->attr_off = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

/* Read one NLMSG_ERROR (capped or not); -1 when it is too short to tell. */
static int answer_err(const struct nlmsghdr *nlh, struct nsh_sock_err *x)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t hlen = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -1;
	memset(x, 0, sizeof(*x));
	x->seq = e->msg.nlmsg_seq;
	x->err = -e->error;
	if (!x->err)
		return 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, (unsigned)hlen, extack_cb, x);
	return 0;
}

/* See sock.h. */
int nsh_sock_batch(struct nsh_sock *s, const void *buf, size_t len, size_t acks,
		   nsh_sock_answer_fn fn, void *data)
{
	size_t seen = 0;
	bool lost = false;
	ssize_t n;

	if (mnl_socket_sendto(s->mnl, buf, len) < 0)
		return -1;
	while (!acks || seen < acks) {
		const struct nlmsghdr *nlh;
		struct nsh_sock_err x;
		int left;

		n = sock_rx(s, acks > 0);
		if (n < 0) {
			if (acks)
				return -1;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno != ENOBUFS)
				return -1;
			/* answers were dropped: the caller checks the generation */
			lost = true;
			continue;
		}
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)s->buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				fn(data, nlh, NULL);
				continue;
			}
			seen++;
			if (answer_err(nlh, &x) == 0)
				fn(data, nlh, &x);
		}
	}
	return lost;
}

/* NFTA_GEN_ID of a NEWGEN answer. */
static int gen_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NFTA_GEN_ID && mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

/* One NEWGEN answer: its generation id. */
static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), gen_attr_cb, data) < 0 ?
		       MNL_CB_ERROR : MNL_CB_OK;
}

/* A plain GETGEN: one reply, no ACK to read. */
int nsh_sock_genid(struct nsh_sock *s, uint32_t *genid)
{
	char buf[256];
	struct nlmsghdr *nlh;

	*genid = 0;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, NFPROTO_UNSPEC, 0, nsh_sock_seq(s));
	return nsh_sock_talk(s, nlh, gen_cb, genid);
}
