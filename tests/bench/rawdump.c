/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rawdump: dump every nf_tables rule (NFT_MSG_GETRULE, all families) with
 * libmnl and only count the messages -- the kernel's own cost of a rule dump,
 * the floor any listing tool stands on.  Prints the number of rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

/* Count one rule message; nothing is parsed. */
static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned long *n = data;

	(void)nlh;
	(*n)++;
	return MNL_CB_OK;
}

int main(void)
{
	static char buf[MNL_SOCKET_DUMP_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	unsigned long n = 0;
	unsigned int seq = time(NULL), portid;
	int ret;

	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("rawdump: netlink socket");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("rawdump: send");
		return 1;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, count_cb, &n);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0) {
		fprintf(stderr, "rawdump: %s\n", strerror(errno));
		return 1;
	}
	mnl_socket_close(nl);
	printf("%lu\n", n);
	return 0;
}
