/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Conntrack through ctnetlink (libmnl): dump, count, delete, flush, events.
 * Entries are parsed one at a time and handed to a callback, so a dump of
 * any size runs in constant memory.  Functions return -1 and set errno on
 * failure; they never print.
 */
#ifndef NSH_NL_CT_H
#define NSH_NL_CT_H

#include <stddef.h>
#include <stdint.h>
#include "model/ct.h"

struct nlmsghdr;
struct nsh_ctnl;	/* a NETLINK_NETFILTER socket for ctnetlink + its buffer */

/* Open a ctnetlink socket in the current network namespace. */
struct nsh_ctnl *nsh_ctnl_open(void);
void nsh_ctnl_close(struct nsh_ctnl *c);

/* Called per entry: 0 goes on, 1 stops the walk (not an error), -1 aborts. */
typedef int (*nsh_ct_cb)(const struct nsh_ct *ct, void *data);

/*
 * Walk the conntrack table of family (AF_INET, AF_INET6, 0 for both),
 * calling cb for each entry that f selects (f may be NULL).  The entry
 * passed to cb lives only during the call.  Returns 0, or -1 + errno.
 */
int nsh_ct_dump(struct nsh_ctnl *c, const struct nsh_ct_filter *f, nsh_ct_cb cb, void *data);

/* Number of entries in this namespace (ctnetlink statistics); -1 + errno. */
int nsh_ct_count(struct nsh_ctnl *c, uint64_t *n);

/*
 * Delete every entry f selects (f must not be empty: use nsh_ct_flush).
 * *deleted (may be NULL) gets how many the kernel removed; entries that
 * vanished meanwhile are not errors.  Returns 0, or -1 + errno.
 */
int nsh_ct_delete(struct nsh_ctnl *c, const struct nsh_ct_filter *f, uint64_t *deleted);
/* Delete one entry by its original tuple and id; ENOENT when already gone. */
int nsh_ct_delete_one(struct nsh_ctnl *c, const struct nsh_ct *ct);
/*
 * The entry one tuple of which (original or reply direction) is key's
 * orig (key->family, key->proto set); -1 + errno (ENOENT: none).
 */
int nsh_ct_get(struct nsh_ctnl *c, const struct nsh_ct *key, struct nsh_ct *out);
/* Flush the whole table of family (0: every family). */
int nsh_ct_flush(struct nsh_ctnl *c, uint8_t family);

/* Event kinds delivered by nsh_ct_events_read(). */
enum nsh_ct_event { NSH_CT_EV_NEW = 1, NSH_CT_EV_UPDATE = 2, NSH_CT_EV_DESTROY = 4 };
typedef void (*nsh_ct_ev_cb)(enum nsh_ct_event ev, const struct nsh_ct *ct, void *data);

/*
 * A non-blocking socket subscribed to conntrack events (mask of
 * enum nsh_ct_event).  Poll nsh_ctnl_fd(); drain with nsh_ct_events_read(),
 * which returns the number of events handled, or -1 + errno (ENOBUFS
 * means events were lost: do a full dump).
 */
struct nsh_ctnl *nsh_ct_events_open(unsigned mask);
int nsh_ctnl_fd(const struct nsh_ctnl *c);
int nsh_ct_events_read(struct nsh_ctnl *c, nsh_ct_ev_cb cb, void *data);

/*
 * Create entries (test and benchmark injection): n entries described by
 * orig tuples; when nat_dst is set each gets destination NAT to it (same
 * family, port in nat_port if non-zero).  Messages are batched; returns
 * the number created, or -1 + errno.
 */
struct nsh_ct_new {
	struct nsh_ct ct;		/* family, proto, orig, timeout, tcp_state used */
	bool dnat;
	uint8_t nat_addr[16];
	uint16_t nat_port;
};
long nsh_ct_create(struct nsh_ctnl *c, const struct nsh_ct_new *v, size_t n);

/* Parse one ctnetlink conntrack message into ct; -1 (EINVAL) when malformed. */
int nsh_ct_parse(const struct nlmsghdr *nlh, struct nsh_ct *ct);
/* Build a conntrack message describing ct (tests); returns its length. */
size_t nsh_ct_build(void *buf, size_t size, uint16_t type, uint16_t flags, const struct nsh_ct *ct);

/* net.netfilter.nf_conntrack_acct: 1 on, 0 off, -1 unknown. */
int nsh_ct_acct_enabled(void);

#endif
