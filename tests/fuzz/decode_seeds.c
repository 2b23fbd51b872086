/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Seeds for fuzz_decode and fuzz_ct: dump the rules (or, with "ct", the
 * conntrack entries) of the current network namespace (run it in a test
 * namespace) and write each message as one file DIR/rule-N (ct-N): the
 * family byte, a zero byte, then the message's attributes (what follows
 * struct nfgenmsg).  Not part of natsh.
 *   decode_seeds DIR [ct]
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
#include <linux/netfilter/nfnetlink_conntrack.h>

static const char *dir, *prefix = "rule";
static unsigned count;

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	size_t off = MNL_ALIGN(sizeof(*g));
	char path[4096];
	FILE *f;

	(void)data;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return MNL_CB_OK;
	snprintf(path, sizeof(path), "%s/%s-%03u", dir, prefix, count++);
	f = fopen(path, "wb");
	if (!f)
		return MNL_CB_ERROR;
	fputc(g->nfgen_family, f);
	fputc(0, f);
	fwrite((const char *)g + off, 1, nlh->nlmsg_len - NLMSG_HDRLEN - off, f);
	return fclose(f) == 0 ? MNL_CB_OK : MNL_CB_ERROR;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct nfgenmsg *g;
	uint32_t seq = (uint32_t)time(NULL), portid;
	ssize_t n;
	int ret = MNL_CB_OK;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "ct"))) {
		fprintf(stderr, "usage: decode_seeds DIR [ct]\n");
		return 2;
	}
	dir = argv[1];
	if (argc == 3)
		prefix = "ct";
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = argc == 3 ? (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET :
			  (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETRULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_UNSPEC;
	g->version = NFNETLINK_V0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("send");
		return 1;
	}
	while (ret > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			perror("recv");
			return 1;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, rule_cb, NULL);
	}
	mnl_socket_close(nl);
	if (ret < 0) {
		perror("dump");
		return 1;
	}
	printf("%u %s messages written to %s\n", count, prefix, dir);
	return 0;
}
