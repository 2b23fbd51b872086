/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Following real packets with the kernel's trace events (`trace`).
 *
 * A trace is a table of natsh's own, inet natsh-trace, created in one
 * transaction with base chains at priority raw (-300) on prerouting and
 * output whose one rule sets `meta nftrace set 1` for the packets the
 * caller's rule matches.  From then on the kernel sends an NFT_MSG_TRACE
 * event (group NFNLGRP_NFTRACE) for every rule that decides something for
 * such a packet, in every table and family, and for every chain it
 * leaves: this file subscribes before creating the table, so no event is
 * lost in between, and decodes them.
 *
 * The table is created with NFT_TABLE_F_OWNER: the kernel removes it when
 * the socket that created it closes, so it goes away with natsh even when
 * natsh is killed (SIGKILL).  A kernel without table owners (before 5.12)
 * refuses the flag; the table is then created without it and
 * nsh_trace_owned() says so.  Functions return -1 + errno.
 */
#ifndef NSH_NL_TRACE_H
#define NSH_NL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define NSH_TRACE_TABLE "natsh-trace"
#define NSH_TRACE_FAMILY NSH_FAM_INET
#define NSH_TRACE_PRIO (-300)	/* raw: before conntrack (-200) and every nat chain */

struct nsh_trace;
struct nsh_wire;
struct nsh_batch_result;

/* The packet as an event shows it (its headers at that point of its path). */
struct nsh_trace_pkt {
	uint8_t family;			/* AF_INET, AF_INET6; 0: no network header */
	uint8_t proto;			/* IPPROTO_* */
	uint8_t src[16], dst[16];	/* network order; IPv4 in the first 4 bytes */
	bool has_ports;			/* tcp, udp, udplite, sctp, dccp */
	uint16_t sport, dport;		/* host order */
	bool has_tcp_flags;
	uint8_t tcp_flags;		/* FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10 ... */
	bool has_icmp;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;		/* echo request/reply id, host order */
};

/* What the event says happened (NFT_TRACETYPE_*). */
enum nsh_trace_type {
	NSH_TRACE_POLICY = 1,		/* the end of a base chain: its policy decides */
	NSH_TRACE_RETURN = 2,		/* the end of a chain reached: back to the caller */
	NSH_TRACE_RULE = 3,		/* a rule matched and gave a verdict (continue too);
					 * handle 0: the chain's rules ended (continue) */
};

struct nsh_trace_ev {
	uint32_t id;			/* the same for every event of one packet */
	enum nsh_trace_type type;
	uint8_t family;			/* of the table: NSH_FAM_IP, _IP6, _INET ... */
	char table[256], chain[256];
	uint64_t handle;		/* the rule's; 0: none (RETURN, POLICY) */
	bool has_verdict;
	int32_t verdict;		/* NF_ACCEPT, NF_DROP, NFT_CONTINUE, NFT_JUMP ... */
	char target[256];		/* jump/goto: the chain */
	bool has_policy;
	uint32_t policy;		/* NF_ACCEPT, NF_DROP */
	uint32_t nfproto;		/* the packet's: NFPROTO_IPV4, NFPROTO_IPV6 */
	uint32_t iif, oif;		/* interface indexes, 0: none at this hook */
	uint32_t mark;
	struct nsh_trace_pkt pkt;
	bool own;			/* from natsh's trace table itself */
};

/*
 * Subscribe to trace events, then create the trace table with a chain on
 * prerouting holding pre and one on output holding out (either may be
 * NULL; each must end with `meta nftrace set 1`).  EEXIST: the table
 * exists (another trace runs in this namespace).  A refusal of the kernel
 * leaves its errno and, in msg (may be NULL), its extack text.
 */
struct nsh_trace *nsh_trace_start(const struct nsh_rule *pre, const struct nsh_rule *out,
				  char *msg, size_t msglen);
/* Whether the kernel removes the table when natsh ends however it ends. */
bool nsh_trace_owned(const struct nsh_trace *t);
/* The event socket, for poll(). */
int nsh_trace_fd(const struct nsh_trace *t);
/* The socket that owns the table, for reading chains and rules meanwhile. */
struct nsh_wire *nsh_trace_wire(struct nsh_trace *t);

/*
 * Hand every pending event to cb without waiting.  The number handled, or
 * -1 + errno; ENOBUFS: the kernel dropped events (the socket stays usable).
 */
typedef void (*nsh_trace_cb)(const struct nsh_trace_ev *ev, void *data);
int nsh_trace_read(struct nsh_trace *t, nsh_trace_cb cb, void *data);

/* Delete the table, close both sockets, free; 0, or -1 + errno (t is freed). */
int nsh_trace_stop(struct nsh_trace *t);

/* Decode a network header and what follows it (for the tests); false when it is none. */
bool nsh_trace_pkt_parse(const uint8_t *nh, size_t nhlen, const uint8_t *th, size_t thlen,
			 struct nsh_trace_pkt *p);

#endif
