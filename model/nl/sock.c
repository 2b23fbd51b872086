/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The netfilter netlink socket: open, close, request/reply, generation id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <linux/netfilter.h>

#include "model/nl/nl_priv.h"

#define NSH_NL_BUFLEN (256 * 1024)	/* several dump skbs' worth */
#define NSH_NL_RCVBUF (8 * 1024 * 1024)

/* Open and bind; a big receive buffer keeps large dumps from stalling. */
struct nsh_nl *nsh_nl_open(void)
{
	struct nsh_nl *nl = calloc(1, sizeof(*nl));
	int rcv = NSH_NL_RCVBUF, err;

	if (!nl)
		return NULL;
	nl->buflen = NSH_NL_BUFLEN;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf)
		goto err;
	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sock)
		goto err;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcv, sizeof(rcv)) < 0)
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcv, sizeof(rcv));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return nl;
err:
	err = errno;
	nsh_nl_close(nl);
	errno = err;
	return NULL;
}

/* Swap in a fresh socket so that no reply of an abandoned dump is read later. */
int nsh_nl_reset(struct nsh_nl *nl)
{
	struct mnl_socket *sock = mnl_socket_open(NETLINK_NETFILTER);
	int rcv = NSH_NL_RCVBUF;

	if (!sock)
		return -1;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(sock);
		errno = err;
		return -1;
	}
	if (setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	mnl_socket_close(nl->sock);
	nl->sock = sock;
	nl->portid = mnl_socket_get_portid(sock);
	return 0;
}

/* Close the socket and free the buffers; NULL is a no-op. */
void nsh_nl_close(struct nsh_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl);
}

/* See nl_priv.h. */
int nsh_nl_talk_batches(struct nsh_nl *nl, const struct nlmsghdr *nlh, nsh_nl_batch_fn fn,
			void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret, r;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		/* headers only: an error, the end, or more to come? */
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, nl->portid, NULL, NULL);
		if (ret < 0)
			return -1;
		r = fn(data, nl->buf, (size_t)n, seq, nl->portid);
		if (r < 0)
			return -1;
		if (r == 0 || ret == MNL_CB_STOP)
			return 0;
		if (!(nlh->nlmsg_flags & (NLM_F_DUMP | NLM_F_ACK)))
			return 0;	/* a plain get: one reply, no DONE */
	}
}

struct talk_cb {
	mnl_cb_t cb;
	void *data;
};

/* A batch through the caller's per-message callback (MNL_CB_STOP stops the talk). */
static int run_cb(void *arg, const void *buf, size_t len, uint32_t seq, uint32_t portid)
{
	const struct talk_cb *t = arg;

	return mnl_cb_run(buf, len, seq, portid, t->cb, t->data);
}

/* Send one request, run cb over the replies until DONE/ACK (or the one reply of a plain get). */
int nsh_nl_talk(struct nsh_nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct talk_cb t = { cb, data };

	return nsh_nl_talk_batches(nl, nlh, run_cb, &t);
}

/* The GETGEN reply: the generation id. */
static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_gen *gen = nftnl_gen_alloc();
	uint32_t *genid = data;

	if (!gen)
		return MNL_CB_ERROR;
	if (nftnl_gen_nlmsg_parse(nlh, gen) < 0) {
		nftnl_gen_free(gen);
		return MNL_CB_ERROR;
	}
	*genid = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
	nftnl_gen_free(gen);
	return MNL_CB_OK;
}

/* Ask the kernel for the current nf_tables generation. */
int nsh_nl_genid(struct nsh_nl *nl, uint32_t *genid)
{
	char buf[NSH_NL_REQLEN];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, NFPROTO_UNSPEC, 0, nl->seq++);
	return nsh_nl_talk(nl, nlh, gen_cb, genid);
}
