/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dump the NAT ruleset: tables, chains, sets (+ elements of anonymous
 * sets), rules.  Linear in the number of rules: chains and sets are found
 * through hash maps, each rule message is decoded and its libnftnl object
 * freed at once, and rules are dumped only for the tables that are kept.
 *
 * Two threads share the rule dump: the caller's thread receives it (the
 * kernel builds it in that thread's recvmsg) while a worker decodes the
 * batches already received, in order.  The queue between them is bounded,
 * so memory stays that of a few batches however large the ruleset.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnftnl/common.h>
#include <libnftnl/table.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "model/nl/nl_priv.h"
#include "model/nl/nftlib.h"
#include "model/nft/from_nftnl.h"
#include "lib/util.h"

/* A string -> index hash map (open addressing); keys are borrowed. */
struct strmap {
	size_t cap, n;
	const char **key;
	size_t *val;
};

/* FNV-1a: good enough for chain and set names. */
static size_t str_hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void strmap_put(struct strmap *m, const char *key, size_t val);

/* Double the table and re-insert (load factor stays under 1/2). */
static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 16;
	m->n = 0;
	m->key = nsh_xcalloc(m->cap, sizeof(*m->key));
	m->val = nsh_xcalloc(m->cap, sizeof(*m->val));
	for (i = 0; i < old.cap; i++)
		if (old.key[i])
			strmap_put(m, old.key[i], old.val[i]);
	free(old.key);
	free(old.val);
}

/* Insert or replace key -> val; the key string is borrowed. */
static void strmap_put(struct strmap *m, const char *key, size_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	for (i = str_hash(key) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->key[i], key) == 0)
			break;
	if (!m->key[i])
		m->n++;
	m->key[i] = key;
	m->val[i] = val;
}

/* Look key up; false when absent. */
static bool strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	size_t i;

	if (!m->cap)
		return false;
	for (i = str_hash(key) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->key[i], key) == 0) {
			*val = m->val[i];
			return true;
		}
	return false;
}

/* Free the table, not the borrowed keys. */
static void strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* Dump-time bookkeeping of one table. */
struct tinfo {
	struct strmap chains;		/* name -> chain index */
	size_t ccap;			/* capacity of t->chains */
	size_t *rcap;			/* capacity of each chain's rules */
	struct strmap setmap;		/* name -> sets index */
	struct nsh_rawset *sets;
	size_t nsets, scap;
};

struct dump {
	struct nsh_sock *sock;
	struct nsh_ruleset *rs;
	struct tinfo *ti;		/* parallel to rs->tables */
	size_t tcap;
	size_t cur;			/* table whose rules/sets are being dumped */
	size_t last_chain;		/* cache: consecutive rules share a chain */
	struct chunkq *q;		/* rule messages from the receiver to the worker */
	size_t received;		/* bytes of rule dumps so far (worker past NSH_INLINE_MAX) */
	int werr;			/* worker's errno, 0 when fine */
};

/* A batch of rule messages as received, waiting to be decoded. */
struct chunk {
	struct chunk *next;
	size_t table;
	uint32_t seq, portid;
	size_t len;
	char data[];
};

#define CHUNKQ_MAX 4	/* batches in flight: bounds memory, keeps both threads busy */

struct chunkq {
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* a batch was pushed or the queue closed */
	pthread_cond_t room;		/* a batch was taken */
	struct chunk *head, *tail;
	size_t n;
	bool closed;
};

/* natsh reads ip, ip6 and inet tables only. */
static bool family_wanted(uint32_t f)
{
	return f == NFPROTO_IPV4 || f == NFPROTO_IPV6 || f == NFPROTO_INET;
}

/* Index of a table by family and name, or -1 (few tables: a scan is fine). */
static long table_find(const struct dump *d, uint32_t family, const char *name)
{
	size_t i;

	for (i = 0; i < d->rs->ntables; i++)
		if (d->rs->tables[i].family == family && strcmp(d->rs->tables[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* One GETTABLE reply: keep tables of the wanted families. */
static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nftnl_table *t = nftnl_table_alloc();
	struct nsh_ruleset *rs = d->rs;

	if (!t || nftnl_table_nlmsg_parse(nlh, t) < 0) {
		nftnl_table_free(t);
		return MNL_CB_ERROR;
	}
	if (family_wanted(nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY))) {
		if (rs->ntables == d->tcap) {
			d->tcap = d->tcap ? d->tcap * 2 : 8;
			rs->tables = nsh_xrealloc(rs->tables, d->tcap * sizeof(*rs->tables));
			d->ti = nsh_xrealloc(d->ti, d->tcap * sizeof(*d->ti));
		}
		nsh_table_from_nftnl(t, &rs->tables[rs->ntables]);
		memset(&d->ti[rs->ntables], 0, sizeof(d->ti[0]));
		rs->ntables++;
	}
	nftnl_table_free(t);
	return MNL_CB_OK;
}

/* One GETCHAIN reply: append the chain to its table, note nat chains. */
static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nsh_table *t;
	struct tinfo *ti;
	long ti_idx;

	if (!c || nftnl_chain_nlmsg_parse(nlh, c) < 0) {
		nftnl_chain_free(c);
		return MNL_CB_ERROR;
	}
	ti_idx = table_find(d, nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY),
			    nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE));
	if (ti_idx >= 0) {
		t = &d->rs->tables[ti_idx];
		ti = &d->ti[ti_idx];
		if (t->nchains == ti->ccap) {
			ti->ccap = ti->ccap ? ti->ccap * 2 : 8;
			t->chains = nsh_xrealloc(t->chains, ti->ccap * sizeof(*t->chains));
			ti->rcap = nsh_xrealloc(ti->rcap, ti->ccap * sizeof(*ti->rcap));
		}
		nsh_chain_from_nftnl(c, &t->chains[t->nchains]);
		ti->rcap[t->nchains] = 0;
		if (t->chains[t->nchains].type && strcmp(t->chains[t->nchains].type, "nat") == 0)
			t->has_nat = true;
		strmap_put(&ti->chains, t->chains[t->nchains].name, t->nchains);
		t->nchains++;
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

/* One GETSET reply: remember the set (name, flags, lengths) in its table. */
static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nftnl_set *s = nftnl_set_alloc();
	struct tinfo *ti;
	long idx;

	if (!s || nftnl_set_nlmsg_parse(nlh, s) < 0) {
		nftnl_set_free(s);
		return MNL_CB_ERROR;
	}
	idx = table_find(d, nftnl_set_get_u32(s, NFTNL_SET_FAMILY),
			 nftnl_set_get_str(s, NFTNL_SET_TABLE));
	if (idx >= 0) {
		ti = &d->ti[idx];
		if (ti->nsets == ti->scap) {
			ti->scap = ti->scap ? ti->scap * 2 : 8;
			ti->sets = nsh_xrealloc(ti->sets, ti->scap * sizeof(*ti->sets));
		}
		nsh_rawset_init(&ti->sets[ti->nsets], s);
		ti->nsets++;
		if (!(nftnl_set_get_u32(s, NFTNL_SET_FLAGS) & NFT_SET_ANONYMOUS)) {
			struct nsh_table *t = &d->rs->tables[idx];

			t->sets = nsh_xrealloc(t->sets, (t->nsets + 1) * sizeof(*t->sets));
			nsh_nset_from_nftnl(s, &t->sets[t->nsets++]);
		}
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* One GETSETELEM reply of a named set: its elements into the model (save and load keep them). */
static int nset_elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_nset *ns = data;
	struct nftnl_set *s = nftnl_set_alloc();
	int ret = MNL_CB_OK;

	if (!s || nftnl_set_elems_nlmsg_parse(nlh, s) < 0 || nsh_nset_add_elems(ns, s) < 0)
		ret = MNL_CB_ERROR;
	nftnl_set_free(s);
	return ret;
}

/* The elements of a named set (one dump request), in nft's order. */
static int dump_nset_elems(struct dump *d, const struct nsh_table *t, struct nsh_nset *ns)
{
	char buf[NSH_NL_REQLEN];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;

	if (!s)
		return -1;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, t->name);
	nftnl_set_set_str(s, NFTNL_SET_NAME, ns->name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, t->family, NLM_F_DUMP,
				    nsh_sock_seq(d->sock));
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	if (nsh_sock_talk(d->sock, nlh, nset_elem_cb, ns) < 0)
		return -1;
	nsh_nset_finish(ns);
	return 0;
}

/* One GETSETELEM reply: append its elements to the raw set (in place, else libnftnl). */
static int elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nsh_rawset *rs = data;
	struct nftnl_set *s;
	int ret = MNL_CB_OK;

	if (nsh_rawset_add_elems_nlmsg(rs, nlh) == 0)
		return MNL_CB_OK;
	s = nftnl_set_alloc();
	if (!s || nftnl_set_elems_nlmsg_parse(nlh, s) < 0 || nsh_rawset_add_elems(rs, s) < 0)
		ret = MNL_CB_ERROR;
	nftnl_set_free(s);
	return ret;
}

/* The elements of one set (one dump request). */
static int dump_elems(struct dump *d, const struct nsh_table *t, struct nsh_rawset *rs)
{
	char buf[NSH_NL_REQLEN];
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	int ret;

	if (!s)
		return -1;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, t->name);
	nftnl_set_set_str(s, NFTNL_SET_NAME, rs->name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, t->family, NLM_F_DUMP,
				    nsh_sock_seq(d->sock));
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	ret = nsh_sock_talk(d->sock, nlh, elem_cb, rs);
	return ret;
}

/* The decoder's set lookup: by name within the table being decoded. */
static const struct nsh_rawset *find_set(void *arg, const char *name)
{
	struct tinfo *ti = arg;
	size_t i;

	return strmap_get(&ti->setmap, name, &i) ? &ti->sets[i] : NULL;
}

/* Keep each top-level attribute of a rule message (the last of a type wins). */
static int rule_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type <= NFTA_RULE_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

/* The rule through libnftnl (expressions natsh does not read in place). */
static int rule_slow(const struct nlmsghdr *nlh, const struct nsh_decode_env *env,
		     struct nsh_rule *out)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	int ret = -1;

	if (nr && nftnl_rule_nlmsg_parse(nlh, nr) >= 0)
		ret = nsh_rule_from_nftnl(nr, env, out);
	nftnl_rule_free(nr);
	return ret;
}

/*
 * One GETRULE message: decode it into the next position of its chain,
 * straight from its attributes (libnftnl only for what is not read so).
 */
static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct nsh_table *t = &d->rs->tables[d->cur];
	struct tinfo *ti = &d->ti[d->cur];
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { NULL };
	struct nsh_decode_env env = { t->family, find_set, ti };
	const char *cname;
	struct nsh_chain *c;
	struct nsh_rule *r;
	size_t ci;
	int ret;

	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rule_attr_cb, tb) < 0 ||
	    !tb[NFTA_RULE_CHAIN] || mnl_attr_validate(tb[NFTA_RULE_CHAIN], MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	cname = mnl_attr_get_str(tb[NFTA_RULE_CHAIN]);
	if (d->last_chain < t->nchains && strcmp(t->chains[d->last_chain].name, cname) == 0) {
		ci = d->last_chain;
	} else if (strmap_get(&ti->chains, cname, &ci)) {
		d->last_chain = ci;
	} else {
		return MNL_CB_OK;	/* a chain born after our chain dump: genid will tell */
	}
	c = &t->chains[ci];
	if (c->nrules == ti->rcap[ci]) {
		ti->rcap[ci] = ti->rcap[ci] ? ti->rcap[ci] * 2 : 16;
		c->rules = nsh_xrealloc(c->rules, ti->rcap[ci] * sizeof(*c->rules));
	}
	r = &c->rules[c->nrules];
	ret = nsh_rule_from_attrs(tb, &env, r);
	if (ret > 0)
		ret = rule_slow(nlh, &env, r);
	if (ret < 0)
		return MNL_CB_ERROR;
	c->nrules++;
	r->position = (uint32_t)c->nrules;
	if (r->xt)
		t->has_xt = true;
	return MNL_CB_OK;
}

/* A whole-family dump of one object type (tables, chains, sets). */
static int dump_all(struct dump *d, uint16_t type, mnl_cb_t cb)
{
	char buf[NSH_NL_REQLEN];
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_UNSPEC, NLM_F_DUMP, nsh_sock_seq(d->sock));
	return nsh_sock_talk(d->sock, nlh, cb, d);
}

/* Hand a batch to the worker (blocks while the queue is full); NULL closes. */
static void chunkq_push(struct chunkq *q, struct chunk *c)
{
	pthread_mutex_lock(&q->mu);
	while (c && q->n >= CHUNKQ_MAX)
		pthread_cond_wait(&q->room, &q->mu);
	if (c) {
		q->n++;
		c->next = NULL;
		if (q->tail)
			q->tail->next = c;
		else
			q->head = c;
		q->tail = c;
	} else {
		q->closed = true;
	}
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The next batch, or NULL once the receiver closed the queue. */
static struct chunk *chunkq_pop(struct chunkq *q)
{
	struct chunk *c;

	pthread_mutex_lock(&q->mu);
	while (!q->head && !q->closed)
		pthread_cond_wait(&q->cv, &q->mu);
	c = q->head;
	if (c) {
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
		q->n--;
		pthread_cond_signal(&q->room);
	}
	pthread_mutex_unlock(&q->mu);
	return c;
}

/* Decode one batch of rule messages of table ti; -1 with errno on failure. */
static int decode_batch(struct dump *d, size_t ti, const void *buf, size_t len,
			uint32_t seq, uint32_t portid)
{
	if (ti != d->cur) {
		d->cur = ti;
		d->last_chain = 0;
	}
	if (mnl_cb_run(buf, len, seq, portid, rule_cb, d) < 0) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* Worker: decode every batch of rule messages, in order. */
static void *dump_worker(void *arg)
{
	struct dump *d = arg;
	struct chunk *c;

	while ((c = chunkq_pop(d->q))) {
		if (!d->werr && decode_batch(d, c->table, c->data, c->len, c->seq, c->portid) < 0)
			d->werr = errno;
		free(c);
	}
	return NULL;
}

/*
 * Start the worker that decodes while the receiver goes on reading.  Worth
 * its cost (a thread, a malloc arena, a copy of every batch) only for big
 * dumps: the first NSH_INLINE_MAX bytes are decoded in place, in order.
 */
#define NSH_INLINE_MAX (1024 * 1024)

static int worker_start(struct dump *d, struct chunkq *q, pthread_t *th)
{
	sigset_t all, old;
	int ret;

	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	pthread_cond_init(&q->room, NULL);
	d->q = q;
	/* the worker takes no signals: Ctrl-C stays the shell's, in this thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(th, NULL, dump_worker, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret == 0)
		return 0;
	d->q = NULL;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_cond_destroy(&q->room);
	errno = EAGAIN;
	return -1;
}

/* Close the queue, wait for the worker, take its error. */
static int worker_finish(struct dump *d, pthread_t th)
{
	struct chunkq *q = d->q;

	chunkq_push(q, NULL);
	pthread_join(th, NULL);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	pthread_cond_destroy(&q->room);
	d->q = NULL;
	if (d->werr) {
		errno = d->werr;
		return -1;
	}
	return 0;
}

/* Where one table's rule batches go. */
struct rules_rx {
	struct dump *d;
	size_t ti;		/* the table */
	struct chunkq *q;	/* the worker's queue, once started */
	pthread_t *th;
};

/* One batch of rule messages: decoded in place, or a copy handed to the worker. */
static int rules_batch(void *arg, const void *buf, size_t len, uint32_t seq, uint32_t portid)
{
	struct rules_rx *rx = arg;
	struct dump *d = rx->d;
	struct chunk *c;

	d->received += len;
	if (!d->q && d->received > NSH_INLINE_MAX && worker_start(d, rx->q, rx->th) < 0)
		return -1;
	if (!d->q)
		return decode_batch(d, rx->ti, buf, len, seq, portid) < 0 ? -1 : 1;
	c = nsh_xmalloc(sizeof(*c) + len);
	c->table = rx->ti;
	c->seq = seq;
	c->portid = portid;
	c->len = len;
	memcpy(c->data, buf, len);
	chunkq_push(d->q, c);
	return 1;
}

/* Receive one table's rule dump: decode in place, or hand batches to the worker. */
static int recv_rules(struct dump *d, size_t ti, struct chunkq *q, pthread_t *th)
{
	char buf[NSH_NL_REQLEN];
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct rules_rx rx = { d, ti, q, th };
	struct nlmsghdr *nlh;

	if (!r)
		return -1;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, d->rs->tables[ti].name);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, d->rs->tables[ti].family,
				    NLM_F_DUMP, nsh_sock_seq(d->sock));
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	return nsh_sock_talk_batches(d->sock, nlh, rules_batch, &rx);
}

/* The rule dumps of all kept tables, decoded as they arrive. */
static int dump_rules(struct dump *d)
{
	struct chunkq q;
	pthread_t th;
	int ret = 0, err = 0;
	size_t i;

	d->cur = (size_t)-1;
	d->received = 0;
	for (i = 0; i < d->rs->ntables && ret == 0; i++)
		if (recv_rules(d, i, &q, &th) < 0) {
			ret = -1;
			err = errno;
		}
	if (d->q && worker_finish(d, th) < 0 && ret == 0) {
		ret = -1;
		err = errno;
	}
	errno = err;
	return ret;
}

/* Free the dump-time bookkeeping of a table. */
static void tinfo_clear(struct tinfo *ti)
{
	size_t i;

	for (i = 0; i < ti->nsets; i++)
		nsh_rawset_clear(&ti->sets[i]);
	free(ti->sets);
	free(ti->rcap);
	strmap_free(&ti->chains);
	strmap_free(&ti->setmap);
}

/* Free one table through the model's own free function. */
static void table_drop(const struct nsh_table *t)
{
	struct nsh_ruleset *one = nsh_xcalloc(1, sizeof(*one));

	one->ntables = 1;
	one->tables = nsh_xmalloc(sizeof(*t));
	one->tables[0] = *t;
	nsh_ruleset_free(one);
}

/* Drop tables without a nat chain, keeping tinfo parallel. */
static void keep_nat_tables(struct dump *d)
{
	struct nsh_ruleset *rs = d->rs;
	size_t i, j;

	for (i = j = 0; i < rs->ntables; i++) {
		if (rs->tables[i].has_nat) {
			rs->tables[j] = rs->tables[i];
			d->ti[j++] = d->ti[i];
			continue;
		}
		table_drop(&rs->tables[i]);
		tinfo_clear(&d->ti[i]);
	}
	rs->ntables = j;
}

/* Give back the slack of the doubling arrays (the model lives on in caches). */
static void shrink(struct nsh_ruleset *rs)
{
	size_t i, j;

	for (i = 0; i < rs->ntables; i++)
		for (j = 0; j < rs->tables[i].nchains; j++) {
			struct nsh_chain *c = &rs->tables[i].chains[j];

			if (c->nrules)
				c->rules = nsh_xrealloc(c->rules, c->nrules * sizeof(*c->rules));
		}
}

/* One consistent attempt: genid, tables, chains, then (rules) sets, elements, rules. */
static struct nsh_ruleset *dump_once(struct nsh_nl *nl, bool rules, bool all)
{
	struct dump d;
	size_t i, j;
	int err;

	memset(&d, 0, sizeof(d));
	d.sock = nl->sock;
	d.rs = nsh_xcalloc(1, sizeof(*d.rs));
	if (nsh_sock_genid(d.sock, &d.rs->genid) < 0 ||
	    dump_all(&d, NFT_MSG_GETTABLE, table_cb) < 0 ||
	    dump_all(&d, NFT_MSG_GETCHAIN, chain_cb) < 0)
		goto err;
	if (!all)
		keep_nat_tables(&d);
	d.rs->no_rules = !rules;
	if (!rules)
		goto done;
	if (d.rs->ntables && dump_all(&d, NFT_MSG_GETSET, set_cb) < 0)
		goto err;
	for (i = 0; i < d.rs->ntables; i++)
		for (j = 0; j < d.ti[i].nsets; j++) {
			strmap_put(&d.ti[i].setmap, d.ti[i].sets[j].name, j);
			if ((d.ti[i].sets[j].flags & NFT_SET_ANONYMOUS) &&
			    dump_elems(&d, &d.rs->tables[i], &d.ti[i].sets[j]) < 0)
				goto err;
		}
	for (i = 0; i < d.rs->ntables; i++)
		for (j = 0; j < d.rs->tables[i].nsets; j++)
			if (dump_nset_elems(&d, &d.rs->tables[i], &d.rs->tables[i].sets[j]) < 0)
				goto err;
	if (d.rs->ntables && dump_rules(&d) < 0)
		goto err;
	shrink(d.rs);
done:
	for (i = 0; i < d.rs->ntables; i++)
		tinfo_clear(&d.ti[i]);
	free(d.ti);
	return d.rs;
err:
	err = errno ? errno : EIO;
	for (i = 0; i < d.rs->ntables; i++)
		tinfo_clear(&d.ti[i]);
	free(d.ti);
	nsh_ruleset_free(d.rs);
	errno = err;
	return NULL;
}

/*
 * Re-read when the generation moved during the dump, or while libnftables
 * listed a table for nft's text of an opaque rule (bounded retries; the last
 * dump is kept with the texts had before the move: the others stay raw,
 * still marked).
 */
static struct nsh_ruleset *dump_consistent(struct nsh_nl *nl, bool rules, bool all)
{
	struct nsh_ruleset *rs = NULL;
	uint32_t after;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		rs = dump_once(nl, rules, all);
		if (!rs) {
			int err = errno;

			/* a half-read dump must not answer the next one */
			nsh_sock_reset(nl->sock);
			if (err == EINTR)
				continue;	/* NLM_F_DUMP_INTR: the ruleset changed meanwhile */
			errno = err;
			return NULL;
		}
		if (nsh_sock_genid(nl->sock, &after) < 0) {
			int err = errno;

			nsh_ruleset_free(rs);
			errno = err;
			return NULL;
		}
		/* nft's text of the rules natsh does not understand; stale: dump again */
		if (after == rs->genid &&
		    (!rules || nsh_nftlib_attach(nl->sock, rs) == 0 || tries == 3))
			return rs;
		nsh_ruleset_free(rs);
	}
	errno = EAGAIN;
	return NULL;
}

/* See nl.h: everything. */
struct nsh_ruleset *nsh_ruleset_dump(struct nsh_nl *nl)
{
	return dump_consistent(nl, true, false);
}

/* See nl.h: tables and chains, no sets and no rules. */
struct nsh_ruleset *nsh_ruleset_dump_chains(struct nsh_nl *nl)
{
	return dump_consistent(nl, false, false);
}

/* See nl.h: every table and chain of ip, ip6 and inet, no sets and no rules. */
struct nsh_ruleset *nsh_ruleset_dump_hooks(struct nsh_nl *nl)
{
	return dump_consistent(nl, false, true);
}

/* A big receive buffer keeps large dumps from stalling; a buffer of several dump skbs. */
struct nsh_nl *nsh_nl_open(void)
{
	static const struct nsh_sock_opts o = {
		.bus = NETLINK_NETFILTER,
		.rcvbuf = 8 * 1024 * 1024,
		.buflen = 256 * 1024,
	};
	struct nsh_nl *nl = nsh_xcalloc(1, sizeof(*nl));

	nl->sock = nsh_sock_open(&o);
	if (!nl->sock) {
		nsh_nl_close(nl);
		return NULL;
	}
	return nl;
}

/* See nl.h; NULL is a no-op. */
void nsh_nl_close(struct nsh_nl *nl)
{
	if (!nl)
		return;
	nsh_sock_close(nl->sock);
	free(nl);
}

/* See nl.h. */
int nsh_nl_genid(struct nsh_nl *nl, uint32_t *genid)
{
	return nsh_sock_genid(nl->sock, genid);
}
