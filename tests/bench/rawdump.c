/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rawdump: the kernel's own cost of listing the ruleset, with libmnl, parsing
 * nothing but what the next request needs, and counting the messages.
 *
 *   rawdump        what showing the rules needs (what nft and natsh both
 *                  fetch): the generation, tables, chains, sets, the
 *                  elements of each anonymous set the rules use (one dump
 *                  per set), rules.  Prints "rules N tables N chains N
 *                  sets N anonymous N element-messages N".
 *   rawdump rules  the rule dump alone (NFT_MSG_GETRULE, all families):
 *                  prints the number of rules.  A floor, not a listing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
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

struct set_ref {
	unsigned char family;
	char table[256], name[256];
	uint32_t flags;
};

struct state {
	struct mnl_socket *nl;
	unsigned int seq, portid;
	unsigned long n;		/* messages of the current dump */
	struct set_ref *sets;		/* filled by the set dump */
	size_t nsets, cap;
};

static char buf[MNL_SOCKET_DUMP_SIZE];

/* Count one message; nothing is parsed. */
static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct state *st = data;

	(void)nlh;
	st->n++;
	return MNL_CB_OK;
}

/* Keep family, table and name of one set, for its element dump. */
static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct state *st = data;
	struct set_ref *r;
	struct nlattr *a;

	st->n++;
	if (st->nsets == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->sets = realloc(st->sets, st->cap * sizeof(*st->sets));
		if (!st->sets)
			return MNL_CB_ERROR;
	}
	r = &st->sets[st->nsets];
	memset(r, 0, sizeof(*r));
	r->family = nfg->nfgen_family;
	mnl_attr_for_each(a, nlh, sizeof(*nfg)) {
		if (mnl_attr_get_type(a) == NFTA_SET_TABLE)
			snprintf(r->table, sizeof(r->table), "%s", mnl_attr_get_str(a));
		else if (mnl_attr_get_type(a) == NFTA_SET_NAME)
			snprintf(r->name, sizeof(r->name), "%s", mnl_attr_get_str(a));
		else if (mnl_attr_get_type(a) == NFTA_SET_FLAGS)
			r->flags = ntohl(mnl_attr_get_u32(a));
	}
	st->nsets++;
	return MNL_CB_OK;
}

/* Start a dump request of TYPE for FAMILY in buf. */
static struct nlmsghdr *request(struct state *st, int type, unsigned char family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++st->seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

/* Send the request, run CB on every message of the dump; -1 on error. */
static int dump(struct state *st, struct nlmsghdr *nlh, mnl_cb_t cb)
{
	int ret;

	st->n = 0;
	if (mnl_socket_sendto(st->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while ((ret = mnl_socket_recvfrom(st->nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, st->seq, st->portid, cb, st);
		if (ret <= MNL_CB_STOP)
			break;
	}
	return ret < 0 ? -1 : 0;
}

/* The generation id (natsh and nft read it first): one GETGEN request. */
static int genid(struct state *st)
{
	struct nlmsghdr *nlh = request(st, NFT_MSG_GETGEN, NFPROTO_UNSPEC);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	return dump(st, nlh, count_cb);
}

int main(int argc, char **argv)
{
	struct state st = { .seq = time(NULL) };
	unsigned long tables = 0, chains = 0, sets = 0, anon = 0, elems = 0;
	int rules_only = argc > 1 && !strcmp(argv[1], "rules");
	struct nlmsghdr *nlh;
	size_t i;

	/* "all" is the old name of the default */
	if (argc > 2 || (argc == 2 && !rules_only && strcmp(argv[1], "all"))) {
		fprintf(stderr, "usage: rawdump [rules]\n");
		return 2;
	}
	st.nl = mnl_socket_open(NETLINK_NETFILTER);
	if (st.nl == NULL || mnl_socket_bind(st.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("rawdump: netlink socket");
		return 1;
	}
	st.portid = mnl_socket_get_portid(st.nl);

	if (!rules_only) {
		if (genid(&st) < 0 ||
		    dump(&st, request(&st, NFT_MSG_GETTABLE, NFPROTO_UNSPEC), count_cb) < 0)
			goto err;
		tables = st.n;
		if (dump(&st, request(&st, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC), count_cb) < 0)
			goto err;
		chains = st.n;
		if (dump(&st, request(&st, NFT_MSG_GETSET, NFPROTO_UNSPEC), set_cb) < 0)
			goto err;
		sets = st.nsets;
		for (i = 0; i < st.nsets; i++) {
			if (!(st.sets[i].flags & NFT_SET_ANONYMOUS))
				continue;
			anon++;
			nlh = request(&st, NFT_MSG_GETSETELEM, st.sets[i].family);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, st.sets[i].table);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, st.sets[i].name);
			if (dump(&st, nlh, count_cb) < 0)
				goto err;
			elems += st.n;
		}
	}
	if (dump(&st, request(&st, NFT_MSG_GETRULE, NFPROTO_UNSPEC), count_cb) < 0)
		goto err;
	if (rules_only)
		printf("%lu\n", st.n);
	else
		printf("rules %lu tables %lu chains %lu sets %lu anonymous %lu element-messages %lu\n",
		       st.n, tables, chains, sets, anon, elems);
	free(st.sets);
	mnl_socket_close(st.nl);
	return 0;
err:
	fprintf(stderr, "rawdump: %s\n", strerror(errno));
	free(st.sets);
	mnl_socket_close(st.nl);
	return 1;
}
