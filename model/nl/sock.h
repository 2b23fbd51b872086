/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one netlink socket of model/nl/: every conversation with the kernel
 * (nf_tables reads and batches, ctnetlink requests and events, rtnetlink,
 * top's scanner) goes through a struct nsh_sock, and sock.c is the only
 * file that opens, sends on or receives from one.  For model/nl/ only.
 * Functions return -1 + errno (the kernel's error for NLMSG_ERROR replies).
 */
#ifndef NSH_NL_SOCK_H
#define NSH_NL_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

/* What a socket is opened with (and re-opened with by nsh_sock_reset). */
struct nsh_sock_opts {
	int bus;		/* NETLINK_NETFILTER, NETLINK_ROUTE */
	unsigned groups;	/* multicast groups joined at bind (event sockets), 0: none */
	bool ext_ack;		/* NETLINK_EXT_ACK: the kernel says why and where */
	bool cap_ack;		/* NETLINK_CAP_ACK: errors carry the header only */
	bool nonblock;		/* O_NONBLOCK (event sockets, drained after poll) */
	int rcvbuf;		/* SO_RCVBUFFORCE (else SO_RCVBUF) this size; 0: the default */
	size_t buflen;		/* receive buffer: at least one skb of the biggest reply */
};

struct nsh_sock {
	struct mnl_socket *mnl;
	struct nsh_sock_opts o;
	uint32_t portid;
	uint32_t seq;		/* the last sequence number used */
	int sndbuf, rcvbuf;	/* sizes forced by nsh_sock_grow, 0: none yet */
	char *buf;		/* receive buffer of o.buflen bytes */
};

/* Open and bind a socket in the current network namespace; NULL + errno. */
struct nsh_sock *nsh_sock_open(const struct nsh_sock_opts *o);
/* Close and free; NULL is a no-op; errno is kept. */
void nsh_sock_close(struct nsh_sock *s);

/*
 * Replace the socket by a fresh one with the same options (the old one is
 * kept when that fails): after a dump was abandoned half-way (an error, a
 * callback's stop, NLM_F_DUMP_INTR) its rest would answer the next request.
 */
int nsh_sock_reset(struct nsh_sock *s);

/* The fd, for poll(). */
int nsh_sock_fd(const struct nsh_sock *s);
/* The next sequence number of this socket. */
uint32_t nsh_sock_seq(struct nsh_sock *s);

/*
 * Force the send and receive buffers up to snd and rcv bytes (never down;
 * what the kernel refuses is left as it was): room for a batch and its answers.
 */
void nsh_sock_grow(struct nsh_sock *s, int snd, int rcv);

/*
 * Send one request (nlh, its sequence number set) and receive until the
 * dump or the ACK ends it, or after one reply to a plain get (neither
 * NLM_F_DUMP nor NLM_F_ACK).  fn gets each received batch whose headers
 * mnl found sound (no error, right sequence and port) and returns -1
 * (stop, failed), 0 (stop, done) or 1 (go on).  The batch lives in s->buf
 * until the next receive.
 */
typedef int (*nsh_sock_batch_fn)(void *data, const void *buf, size_t len, uint32_t seq,
				 uint32_t portid);
int nsh_sock_talk_batches(struct nsh_sock *s, const struct nlmsghdr *nlh, nsh_sock_batch_fn fn,
			  void *data);

/*
 * The same, running cb (may be NULL) on every reply message; a cb that
 * returns MNL_CB_STOP ends the talk (the rest of a dump is left unread:
 * nsh_sock_reset before the next request).
 */
int nsh_sock_talk(struct nsh_sock *s, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* One refusal of a batch's message, as the kernel's NLMSG_ERROR tells it. */
struct nsh_sock_err {
	uint32_t seq;		/* sequence number of the refused message */
	int err;		/* positive errno; 0: an ACK */
	uint32_t attr_off;	/* extack: offset of the bad attribute in that message, 0: none */
	const char *msg;	/* extack text, NULL when the kernel gave none */
};

/* One answer to a batch: an NLMSG_ERROR (err set) or another message (err NULL). */
typedef void (*nsh_sock_answer_fn)(void *data, const struct nlmsghdr *nlh,
				   const struct nsh_sock_err *err);

/*
 * Send len bytes of messages in one sendmsg and hand every answer to fn.
 * acks > 0: wait for that many NLMSG_ERRORs (each message asked for an ACK).
 * acks 0: the kernel handles a batch inside sendmsg, so every answer is
 * queued when it returns: read until the socket is empty.  Returns 0, 1
 * when answers were dropped (ENOBUFS; acks 0 only), -1 + errno.
 */
int nsh_sock_batch(struct nsh_sock *s, const void *buf, size_t len, size_t acks,
		   nsh_sock_answer_fn fn, void *data);

/*
 * Receive one datagram into s->buf without waiting when the socket is
 * non-blocking (event sockets: call after poll until it fails with EAGAIN).
 * Its length, or -1 + errno (ENOBUFS: events were lost).
 */
ssize_t nsh_sock_recv(struct nsh_sock *s);

/* The current nf_tables generation id (GETGEN) on a NETLINK_NETFILTER socket. */
int nsh_sock_genid(struct nsh_sock *s, uint32_t *genid);

#endif
