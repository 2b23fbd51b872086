/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test driver for the write oracle: reads "FAMILY TABLE CHAIN RULE" lines on
 * stdin, parses each with nsh_rule_parse, encodes it with nsh_rule_encode
 * and commits it as its own nf_tables transaction.  Prints "ok N" or
 * "error N: MSG" per line.  Used until natsh's own `add rule` exists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "model/syntax/rule_parse.h"
#include "model/nft/to_nftnl.h"

#define BUFSZ (8 << 20)

static int commit(struct mnl_socket *nl, char *buf, size_t len, uint32_t portid,
		  char *why, size_t whylen)
{
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	size_t off, nmsg = 0, got = 0;
	int rc = 0;

	/* ask for an ack on every message so we know when the kernel is done */
	for (off = 0; off < len; off += NLMSG_ALIGN(nlh->nlmsg_len)) {
		nlh = (struct nlmsghdr *)(buf + off);
		nlh->nlmsg_flags |= NLM_F_ACK;
		nmsg++;
	}
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		snprintf(why, whylen, "sendto: %s", strerror(errno));
		return -1;
	}
	while (got < nmsg) {
		/* after an error the kernel acks no more of an aborted batch */
		int n = (int)recv(mnl_socket_get_fd(nl), rbuf, sizeof(rbuf), rc ? MSG_DONTWAIT : 0);

		if (n <= 0 && rc)
			break;
		if (n <= 0) {
			snprintf(why, whylen, "recv: %s", strerror(errno));
			return -1;
		}
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				got++;
				if (e->error && !rc) {
					snprintf(why, whylen, "kernel: %s (seq %u)",
						 strerror(-e->error), nlh->nlmsg_seq);
					rc = -1;
				}
			}
		}
	}
	(void)portid;
	return rc;
}

int main(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	char *buf = malloc(2 * BUFSZ);
	static char line[1 << 20];
	uint32_t seq = (uint32_t)time(NULL), set_id = 1;
	unsigned lineno = 0, fails = 0;

	struct timeval tv = { .tv_sec = 5 };

	if (!nl || !buf || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("netlink");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char fam[16], table[256], chain[256], why[600];
		struct mnl_nlmsg_batch *b;
		struct nsh_rule r;
		struct nsh_err err = { 0 };
		int n = 0, family;
		size_t len = strcspn(line, "\n");

		line[len] = 0;
		lineno++;
		if (!line[0] || line[0] == '#')
			continue;
		if (sscanf(line, "%15s %255s %255s %n", fam, table, chain, &n) != 3 || !n) {
			printf("error %u: bad line\n", lineno);
			fails++;
			continue;
		}
		family = nsh_family_parse(fam);
		if (nsh_rule_parse(line, n, len, family, &r, &err) < 0) {
			printf("error %u: %zu: %s\n", lineno, err.off - n, err.msg);
			fails++;
			continue;
		}
		b = mnl_nlmsg_batch_start(buf, BUFSZ);
		nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
		mnl_nlmsg_batch_next(b);
		if (nsh_rule_encode(b, &seq, family, table, chain, &r, NSH_ENC_APPEND, 0,
				    &set_id) < 0) {
			printf("error %u: encode: %s\n", lineno, strerror(errno));
			fails++;
		} else {
			nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
			mnl_nlmsg_batch_next(b);
			if (commit(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b),
				   mnl_socket_get_portid(nl), why, sizeof(why)) < 0) {
				printf("error %u: %s\n", lineno, why);
				fails++;
			} else {
				printf("ok %u\n", lineno);
			fflush(stdout);
			}
		}
		mnl_nlmsg_batch_stop(b);
		nsh_rule_clear(&r);
	}
	mnl_socket_close(nl);
	free(buf);
	return fails ? 1 : 0;
}
