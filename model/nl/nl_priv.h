/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inside of struct nsh_nl, for the model's netlink files only
 * (nl_sock.c, nl_dump.c, nl_batch.c, nl_ct.c): commands never see it.
 */
#ifndef NSH_NL_PRIV_H
#define NSH_NL_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "model/nl/nl.h"

/* Room for one request message (a dump request or GETGEN: well under a page). */
#define NSH_NL_REQLEN 8192

struct nsh_nl {
	struct mnl_socket *sock;	/* NETLINK_NETFILTER, bound */
	uint32_t portid;
	uint32_t seq;			/* next sequence number to use */
	char *buf;			/* receive buffer of buflen bytes */
	size_t buflen;
};

/*
 * Send one request (nlh, seq already set) and run cb on every reply
 * message until the dump or ACK ends.  -1 + errno (the kernel's error
 * for NLMSG_ERROR replies).
 */
int nsh_nl_talk(struct nsh_nl *nl, const struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * The same, a received batch at a time: fn gets each batch whose headers
 * mnl found sound (no error message, right sequence and port) and returns
 * -1 (stop, failed), 0 (stop, done) or 1 (go on until the dump or ACK
 * ends).  The batch lives in nl's buffer until the next receive.
 */
typedef int (*nsh_nl_batch_fn)(void *data, const void *buf, size_t len, uint32_t seq,
			       uint32_t portid);
int nsh_nl_talk_batches(struct nsh_nl *nl, const struct nlmsghdr *nlh, nsh_nl_batch_fn fn,
			void *data);

/*
 * Replace the socket by a fresh one: after a dump was abandoned half-way
 * (error, NLM_F_DUMP_INTR) its rest would otherwise answer the next request.
 */
int nsh_nl_reset(struct nsh_nl *nl);

#endif
