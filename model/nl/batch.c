/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One nf_tables transaction on the wire, and the targeted reads an edit needs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "lib/util.h"
#include "model/nl/batch.h"
#include "model/nl/sock.h"

#ifndef ERESTART
#define ERESTART 85
#endif
/* Not in the uapi headers of every distribution yet (kernel 6.3). */
#define NSH_NFT_MSG_GETRULE_RESET 25

#define NSH_ENC_CHUNK (4u << 20)	/* encoder scratch; one rule never comes near */
#define NSH_RX_SIZE (256u << 10)

/* natsh's writing socket. */
struct nsh_wire {
	struct nsh_sock *sock;
};

struct nsh_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq;			/* next sequence number */
	uint32_t begin_seq;
	size_t count;			/* messages between BEGIN and END */
	char *chunk;			/* encoder scratch */
	struct mnl_nlmsg_batch *enc;
	bool set_names;			/* name anonymous sets ourselves (see below) */
	bool echo;			/* some message asks for an echo */
	uint32_t set_base;
};

/* Open natsh's writing socket with extended and capped ACKs. */
struct nsh_wire *nsh_wire_open(void)
{
	static const struct nsh_sock_opts o = {
		.bus = NETLINK_NETFILTER,
		.ext_ack = true,
		.cap_ack = true,
		.buflen = NSH_RX_SIZE,
	};
	struct nsh_wire *w = nsh_xcalloc(1, sizeof(*w));

	w->sock = nsh_sock_open(&o);
	if (!w->sock) {
		nsh_wire_close(w);
		return NULL;
	}
	return w;
}

/* Close the socket; NULL is a no-op, errno is kept. */
void nsh_wire_close(struct nsh_wire *w)
{
	if (!w)
		return;
	nsh_sock_close(w->sock);
	free(w);
}

/* Send one request and run cb over the answers until done or an error. */
int nsh_wire_talk(struct nsh_wire *w, struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	return nsh_sock_talk(w->sock, nlh, cb, arg);
}

/* A request header with the next sequence number of this socket. */
struct nlmsghdr *nsh_wire_req(struct nsh_wire *w, char *buf, uint16_t type, int family,
			      uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(buf, type, (uint16_t)family, flags, nsh_sock_seq(w->sock));
}

/* GETGEN: the generation every later check is made against. */
int nsh_wire_genid(struct nsh_wire *w, uint32_t *genid)
{
	return nsh_sock_genid(w->sock, genid);
}

/* Count the answers (existence checks, counter resets). */
static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(size_t *)data)++;
	return MNL_CB_OK;
}

/* GETTABLE of one table: ENOENT means it does not exist. */
int nsh_wire_table_exists(struct nsh_wire *w, int family, const char *table)
{
	char buf[512];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETTABLE, family, NLM_F_ACK);
	size_t n = 0;

	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	if (nsh_wire_talk(w, nlh, count_cb, &n) < 0)
		return errno == ENOENT ? 0 : -1;
	return n > 0;
}

/* NFTA_TABLE_USE of a GETTABLE answer. */
static int use_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == NFTA_TABLE_USE && mnl_attr_get_payload_len(a) == 4)
			*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

/* How many objects (chains, sets, ...) a table holds; -1 + errno (ENOENT: no table). */
int nsh_wire_table_use(struct nsh_wire *w, int family, const char *table, uint32_t *use)
{
	char buf[512];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETTABLE, family, NLM_F_ACK);

	*use = 0;
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	return nsh_wire_talk(w, nlh, use_cb, use);
}

/* One chain: hook, priority and type when it is a base chain. */
static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_wire_chain *out = data;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0) {
		nftnl_chain_free(c);
		return MNL_CB_ERROR;
	}
	out->base = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM);
	if (out->base) {
		out->hooknum = nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM);
		out->prio = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
	}
	if (nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE))
		snprintf(out->type, sizeof(out->type), "%s",
			 nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE));
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

/* GETCHAIN of one chain: ENOENT means it does not exist. */
int nsh_wire_chain_get(struct nsh_wire *w, int family, const char *table, const char *chain,
		       struct nsh_wire_chain *out)
{
	char buf[1024];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETCHAIN, family, NLM_F_ACK);

	memset(out, 0, sizeof(*out));
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	if (nsh_wire_talk(w, nlh, chain_cb, out) < 0)
		return errno == ENOENT ? 0 : -1;
	return 1;
}

struct handles {
	uint64_t *v;
	size_t n, cap;
};

/* NFTA_RULE_HANDLE of a rule message. */
static int handle_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NFTA_RULE_HANDLE &&
	    mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
		*(uint64_t *)data = be64toh(mnl_attr_get_u64(a));
	return MNL_CB_OK;
}

/* One rule of a chain dump: only its handle is kept. */
static int handles_cb(const struct nlmsghdr *nlh, void *data)
{
	struct handles *h = data;
	uint64_t handle = 0;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), handle_attr_cb, &handle);
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->v = nsh_xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n++] = handle;
	return MNL_CB_OK;
}

/* A rule dump filtered to one chain: its cost is that chain, not the ruleset. */
int nsh_wire_chain_handles(struct nsh_wire *w, int family, const char *table,
			   const char *chain, uint64_t **handles, size_t *n)
{
	char buf[1024];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETRULE, family,
					NLM_F_DUMP | NLM_F_ACK);
	struct handles h = { 0 };

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (nsh_wire_talk(w, nlh, handles_cb, &h) < 0) {
		free(h.v);
		return -1;
	}
	*handles = h.v;
	*n = h.n;
	return 0;
}

/* Does one rule message hold an xt expression ("match" or "target")? */
static int xt_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *e, *x;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			mnl_attr_for_each_nested(x, e) {
				if (mnl_attr_get_type(x) == NFTA_EXPR_NAME &&
				    (!strcmp(mnl_attr_get_str(x), "match") ||
				     !strcmp(mnl_attr_get_str(x), "target")))
					*(bool *)data = true;
			}
		}
	}
	return MNL_CB_OK;
}

/* A rule dump filtered to one table, looking only at expression names. */
int nsh_wire_table_has_xt(struct nsh_wire *w, int family, const char *table)
{
	char buf[1024];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETRULE, family,
					    NLM_F_DUMP | NLM_F_ACK);
	bool xt = false;

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	if (nsh_wire_talk(w, nlh, xt_cb, &xt) < 0)
		return -1;
	return xt;
}

/* One set of a table: past the highest name natsh gave itself. */
static int setname_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	uint32_t *max = data, v = 0;
	const char *n;
	int i;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_SET_NAME)
			continue;
		n = mnl_attr_get_str(a);
		if (strlen(n) != 7 || strncmp(n, "__s", 3))
			continue;
		for (i = 3; i < 7; i++) {
			const char *d = strchr("0123456789abcdefghijklmnopqrstuvwxyz", n[i]);

			if (!d || !*d)
				break;
			v = v * 36 + (uint32_t)(d - "0123456789abcdefghijklmnopqrstuvwxyz");
		}
		if (i == 7 && v + 1 > *max)
			*max = v + 1;
	}
	return MNL_CB_OK;
}

/* A set dump filtered to one table (headers only). */
int nsh_wire_set_names_end(struct nsh_wire *w, int family, const char *table, uint32_t *end)
{
	char buf[1024];
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NFT_MSG_GETSET, family,
					    NLM_F_DUMP | NLM_F_ACK);

	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, table);
	if (nsh_wire_talk(w, nlh, setname_cb, end) < 0)
		return errno == ENOENT ? 0 : -1;
	return 0;
}

/* GETRULE_RESET: the kernel zeroes the counters as it answers. */
int nsh_wire_counters_reset(struct nsh_wire *w, int family, const char *table,
			    const char *chain, uint64_t handle, size_t *nrules)
{
	char buf[1024];
	uint16_t flags = handle ? NLM_F_ACK : NLM_F_DUMP | NLM_F_ACK;
	struct nlmsghdr *nlh = nsh_wire_req(w, buf, NSH_NFT_MSG_GETRULE_RESET, family, flags);

	*nrules = 0;
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	if (chain)
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	return nsh_wire_talk(w, nlh, count_cb, nrules);
}

/* ---- building a batch ---- */

/* Room for one more message natsh builds itself. */
static char *batch_room(struct nsh_batch *b, size_t need)
{
	if (b->len + need > b->cap) {
		while (b->len + need > b->cap)
			b->cap = b->cap ? b->cap * 2 : 64 * 1024;
		b->buf = nsh_xrealloc(b->buf, b->cap);
	}
	memset(b->buf + b->len, 0, need);
	return b->buf + b->len;
}

/* Account for a message natsh built at the end of the batch. */
static void batch_commit_msg(struct nsh_batch *b, struct nlmsghdr *nlh, bool counted)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	if (counted)
		b->count++;
}

/* BATCH_BEGIN carries the generation: the kernel refuses the batch with ERESTART if it moved. */
struct nsh_batch *nsh_batch_new(uint32_t genid)
{
	struct nsh_batch *b = nsh_xcalloc(1, sizeof(*b));
	struct nlmsghdr *nlh;

	b->seq = 1;
	b->begin_seq = b->seq++;
	nlh = nftnl_batch_begin(batch_room(b, 256), b->begin_seq);
	mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	batch_commit_msg(b, nlh, false);
	return b;
}

/* NULL is a no-op. */
void nsh_batch_free(struct nsh_batch *b)
{
	if (!b)
		return;
	if (b->enc)
		mnl_nlmsg_batch_stop(b->enc);
	free(b->chunk);
	free(b->buf);
	free(b);
}

/* The bytes built so far (for tests and error mapping). */
const void *nsh_batch_data(const struct nsh_batch *b, size_t *len)
{
	*len = b->len;
	return b->buf;
}

/* The sequence number the next message takes. */
uint32_t nsh_batch_seq(const struct nsh_batch *b)
{
	return b->seq;
}

/* Messages between BEGIN and END: 0 means there is nothing to send. */
size_t nsh_batch_count(const struct nsh_batch *b)
{
	return b->count;
}

/* An empty scratch batch for the encoder (one rule never fills it). */
struct mnl_nlmsg_batch *nsh_batch_enc_begin(struct nsh_batch *b, uint32_t **seq)
{
	if (!b->chunk)
		b->chunk = nsh_xmalloc(NSH_ENC_CHUNK * 2);
	if (b->enc)
		mnl_nlmsg_batch_reset(b->enc);
	else
		b->enc = mnl_nlmsg_batch_start(b->chunk, NSH_ENC_CHUNK);
	*seq = &b->seq;
	return b->enc;
}

/*
 * Anonymous sets are sent as "__set%d" and the kernel picks the number by
 * sscanf()ing the name of every set of the table: quadratic in the number
 * of sets a batch creates.  For big batches natsh names them itself, with
 * names of the same length ("__s" + 4 base-36 digits, never of the form
 * "__set%d"), so the kernel only checks they are free.
 */
void nsh_batch_name_sets(struct nsh_batch *b, uint32_t base)
{
	b->set_names = true;
	b->set_base = base;
}

/* Is this a name the encoder left for the kernel to number? */
static bool anon_name(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) == 8 &&
	       (!memcmp(mnl_attr_get_payload(a), "__set%d", 8) ||
		!memcmp(mnl_attr_get_payload(a), "__map%d", 8));
}

/* Give the anonymous set with this id its name (in place: same length). */
static void put_name(struct nsh_batch *b, struct nlattr *name, const struct nlattr *id)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	uint32_t v;
	char *p;
	int i;

	if (!name || !id || !anon_name(name) || mnl_attr_get_payload_len(id) != 4)
		return;
	v = b->set_base + ntohl(mnl_attr_get_u32(id));
	p = mnl_attr_get_payload(name);
	p[0] = p[1] = '_';
	p[2] = 's';
	for (i = 6; i >= 3; i--, v /= 36)
		p[i] = digits[v % 36];
	p[7] = '\0';
}

/* Name the anonymous sets of one message: the set, its elements, the lookups. */
static void name_sets(struct nsh_batch *b, struct nlmsghdr *nlh)
{
	struct nlattr *a, *name = NULL, *id = NULL, *e, *x, *d;
	uint16_t type = nlh->nlmsg_type & 0xff;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
		return;
	if (type == NFT_MSG_NEWSET || type == NFT_MSG_NEWSETELEM) {
		uint16_t an = type == NFT_MSG_NEWSET ? NFTA_SET_NAME : NFTA_SET_ELEM_LIST_SET;
		uint16_t ai = type == NFT_MSG_NEWSET ? NFTA_SET_ID : NFTA_SET_ELEM_LIST_SET_ID;

		mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
			if (mnl_attr_get_type(a) == an)
				name = a;
			else if (mnl_attr_get_type(a) == ai)
				id = a;
		}
		put_name(b, name, id);
		return;
	}
	if (type != NFT_MSG_NEWRULE)
		return;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			mnl_attr_for_each_nested(x, e) {
				if (mnl_attr_get_type(x) != NFTA_EXPR_DATA)
					continue;
				name = id = NULL;
				mnl_attr_for_each_nested(d, x) {
					if (mnl_attr_get_type(d) == NFTA_LOOKUP_SET)
						name = d;
					else if (mnl_attr_get_type(d) == NFTA_LOOKUP_SET_ID)
						id = d;
				}
				put_name(b, name, id);
			}
		}
	}
}

/* Move what the encoder wrote into the batch, counting, echoing and naming. */
int nsh_batch_enc_end(struct nsh_batch *b, bool echo)
{
	size_t n = mnl_nlmsg_batch_size(b->enc);
	const char *p = mnl_nlmsg_batch_head(b->enc);
	char *dst;
	size_t off;

	dst = batch_room(b, n);
	memcpy(dst, p, n);
	for (off = 0; off + sizeof(struct nlmsghdr) <= n;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(dst + off);

		if (nlh->nlmsg_len < sizeof(*nlh))
			break;
		if (echo && (nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
			nlh->nlmsg_flags |= NLM_F_ECHO;
			b->echo = true;
		}
		if (b->set_names)
			name_sets(b, nlh);
		b->count++;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	b->len += n;
	mnl_nlmsg_batch_reset(b->enc);
	return 0;
}

/* Header of a message natsh builds itself, with the next sequence number. */
static struct nlmsghdr *batch_hdr(struct nsh_batch *b, uint16_t type, int family,
				  uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(batch_room(b, 1024), type, (uint16_t)family, flags,
				     b->seq++);
}

/* NEWTABLE with NLM_F_CREATE (no EXCL): exists already is fine. */
uint32_t nsh_batch_add_table(struct nsh_batch *b, int family, const char *table)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_NEWTABLE, family, NLM_F_CREATE);

	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* See batch.h: NEWTABLE with EXCL, flags and a comment nft shows. */
uint32_t nsh_batch_add_table_flags(struct nsh_batch *b, int family, const char *table,
				   uint32_t flags, const char *comment)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_NEWTABLE, family, NLM_F_CREATE | NLM_F_EXCL);

	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	mnl_attr_put_u32(nlh, NFTA_TABLE_FLAGS, htonl(flags));
	if (comment) {
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

		if (u && nftnl_udata_put_strz(u, NFTNL_UDATA_TABLE_COMMENT, comment))
			mnl_attr_put(nlh, NFTA_TABLE_USERDATA, nftnl_udata_buf_len(u),
				     nftnl_udata_buf_data(u));
		nftnl_udata_buf_free(u);
	}
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* DELTABLE: undo of the commit that created natsh's table. */
uint32_t nsh_batch_del_table(struct nsh_batch *b, int family, const char *table)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_DELTABLE, family, 0);

	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* NEWCHAIN of a nat base chain with policy accept. */
uint32_t nsh_batch_add_chain(struct nsh_batch *b, int family, const char *table,
			     const char *chain, const char *type, uint32_t hooknum,
			     int32_t prio)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE);
	struct nlattr *hook;

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
	hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
	mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(hooknum));
	mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl((uint32_t)prio));
	mnl_attr_nest_end(nlh, hook);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, type);
	mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(NF_ACCEPT));
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* See batch.h. */
uint32_t nsh_batch_add_chain_def(struct nsh_batch *b, int family, const char *table,
				 const struct nsh_chain *c)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_NEWCHAIN, family, NLM_F_CREATE);
	struct nlattr *hook;

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, c->name);
	if (c->base) {
		hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
		mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(c->hooknum));
		mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl((uint32_t)c->prio));
		mnl_attr_nest_end(nlh, hook);
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, c->type ? c->type : "filter");
		mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(c->policy));
	}
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* DELRULE by handle, or of the whole chain (flush) without one. */
uint32_t nsh_batch_del_rule(struct nsh_batch *b, int family, const char *table,
			    const char *chain, uint64_t handle)
{
	struct nlmsghdr *nlh = batch_hdr(b, NFT_MSG_DELRULE, family, 0);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, chain);
	if (handle)
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(handle));
	batch_commit_msg(b, nlh, true);
	return nlh->nlmsg_seq;
}

/* NULL is a no-op; the result is left empty. */
void nsh_batch_result_clear(struct nsh_batch_result *res)
{
	if (!res)
		return;
	free(res->errs);
	free(res->echos);
	memset(res, 0, sizeof(*res));
}

/* Make the socket buffers big enough for the batch and its answers. */
static void wire_size(struct nsh_wire *w, size_t len, size_t count, bool echo)
{
	int snd = (int)(len + 65536), rcv = (int)(count * (echo ? 4096 : 1024) + 262144);

	if (len + 65536 > (size_t)(1u << 30))
		snd = 1 << 30;
	if (count > (1u << 18))
		rcv = 1 << 30;
	nsh_sock_grow(w->sock, snd, rcv);
}

/* Record one refusal. */
static void res_add_err(struct nsh_batch_result *res, const struct nsh_sock_err *x)
{
	struct nsh_batch_err *r;

	res->errs = nsh_xrealloc(res->errs, (res->nerrs + 1) * sizeof(*res->errs));
	r = &res->errs[res->nerrs++];
	memset(r, 0, sizeof(*r));
	r->seq = x->seq;
	r->err = x->err;
	r->attr_off = x->attr_off;
	if (x->msg)
		snprintf(r->msg, sizeof(r->msg), "%s", x->msg);
	if (r->err == ERESTART)
		res->restart = true;
}

/* Record one echoed NEWRULE: the handle the kernel gave the rule. */
static void res_add_echo(struct nsh_batch_result *res, const struct nlmsghdr *nlh)
{
	struct nsh_batch_echo *e;
	uint64_t handle = 0;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), handle_attr_cb, &handle);
	res->echos = nsh_xrealloc(res->echos, (res->nechos + 1) * sizeof(*res->echos));
	e = &res->echos[res->nechos++];
	e->seq = nlh->nlmsg_seq;
	e->type = nlh->nlmsg_type & 0xff;
	e->handle = handle;
}

/* One answer to the batch: a refusal, or a rule the kernel echoed. */
static void answer_cb(void *data, const struct nlmsghdr *nlh, const struct nsh_sock_err *x)
{
	struct nsh_batch_result *res = data;

	if (x) {
		if (x->err)
			res_add_err(res, x);
	} else if ((nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES &&
		   (nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
		res_add_echo(res, nlh);
	}
}

/* One sendmsg: the kernel applies (or checks) the whole batch before it returns. */
int nsh_batch_send(struct nsh_wire *w, struct nsh_batch *b, bool commit,
		   struct nsh_batch_result *res)
{
	size_t len = b->len;
	int r;

	memset(res, 0, sizeof(*res));
	if (commit) {
		struct nlmsghdr *nlh = nftnl_batch_end(batch_room(b, 256), b->seq);

		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	wire_size(w, len, b->count, b->echo);
	r = nsh_sock_batch(w->sock, b->buf, len, 0, answer_cb, res);
	if (r < 0)
		return -1;
	res->lost = r > 0;
	return res->nerrs ? 1 : 0;
}

/* ---- mapping an extack offset back to what it points at ---- */

static const struct nlmsghdr *batch_find(const struct nsh_batch *b, uint32_t seq)
{
	size_t off = 0;

	while (off + sizeof(struct nlmsghdr) <= b->len) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(b->buf + off);

		if (nlh->nlmsg_len < sizeof(*nlh))
			return NULL;
		if (nlh->nlmsg_seq == seq)
			return nlh;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return NULL;
}

/* Walk the refused message's attributes to the extack offset. */
int nsh_batch_locate(const struct nsh_batch *b, uint32_t seq, uint32_t attr_off,
		     uint16_t *msg_type, uint16_t *attr, int *expr_idx,
		     char *expr_name, size_t name_len)
{
	const struct nlmsghdr *nlh = batch_find(b, seq);
	const struct nlattr *a, *e, *x;
	const char *base = (const char *)nlh;
	int i;

	*expr_idx = -1;
	if (expr_name && name_len)
		expr_name[0] = '\0';
	if (!nlh)
		return -1;
	*msg_type = nlh->nlmsg_type & 0xff;
	*attr = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		size_t start = (size_t)((const char *)a - base);

		if (attr_off < start || attr_off >= start + a->nla_len)
			continue;
		*attr = mnl_attr_get_type(a);
		if (*msg_type != NFT_MSG_NEWRULE || *attr != NFTA_RULE_EXPRESSIONS)
			return 0;
		i = 0;
		mnl_attr_for_each_nested(e, a) {
			size_t es = (size_t)((const char *)e - base);

			if (attr_off >= es && attr_off < es + e->nla_len) {
				*expr_idx = i;
				mnl_attr_for_each_nested(x, e) {
					if (mnl_attr_get_type(x) == NFTA_EXPR_NAME && expr_name)
						snprintf(expr_name, name_len, "%s",
							 mnl_attr_get_str(x));
				}
				return 0;
			}
			i++;
		}
		return 0;
	}
	return attr_off ? -1 : 0;
}
