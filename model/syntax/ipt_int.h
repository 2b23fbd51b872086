/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the iptables translator (ipt.c reads the line, ipt_xl.c writes
 * the nft text of each option): the state of one line being read.
 */
#ifndef NSH_IPT_INT_H
#define NSH_IPT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/syntax/ipt.h"

/*
 * Where a piece goes in the rule: iptables-translate's order (by class,
 * then sub: a match's -m order times SUB_MOD plus its place in the module).
 */
#define SUB_MOD 8
enum cls { C_NFPROTO, C_IIF, C_OIF, C_PROTO, C_SADDR, C_DADDR, C_MATCH, C_TARGET, C_COMMENT };

struct piece {
	enum cls cls;
	unsigned sub;		/* order among matches */
	size_t word;		/* the iptables word it came from */
	char *text;
};

/* What the options of one line say while it is read. */
struct ipt_state {
	const struct nsh_ipt_word *w;
	size_t n, i;
	struct nsh_ipt *c;
	struct nsh_err *err;
	int table_family;
	bool has_table;		/* -t was given (it must say nat) */
	bool neg;		/* a "!" is waiting for its option */
	size_t neg_word;
	const char *proto;	/* -p */
	bool proto_neg;
	size_t proto_word;
	bool ports_used;	/* a tcp/udp port match took the protocol */
	bool multiport_used;
	bool l3_used;		/* an ip/ip6 specific match was written */
	unsigned nmods;		/* -m seen so far, for the order of matches */
	unsigned m_tcp, m_multiport, m_addrtype, m_statistic, m_comment, m_conntrack; /* order + 1 */
	unsigned m_mark, m_connmark, m_iprange;
	bool mark_done, connmark_done;	/* their --mark was read */
	size_t mark_word, connmark_word;	/* the -m word */
	const char *tcp_module;	/* -m tcp|udp written before its -p */
	size_t tcp_module_word;
	int stat_mode;		/* 0 none, 1 random, 2 nth */
	size_t stat_word;
	bool stat_neg, has_prob, has_every, has_packet;
	double prob;
	uint32_t every, packet;	/* --mode nth */
	size_t packet_word;
	const char *target;
	size_t target_word;
	const char *to;		/* --to-source/--to-destination/--to-ports */
	size_t to_word;
	size_t flag_word[3];	/* word index + 1 of --random, --random-fully, --persistent */
	size_t npieces;
	struct piece *pieces;
};


/* Record an error under word i; returns -1. */
int nsh_ipt_err_at(struct ipt_state *st, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add a piece of nft text that word i wrote. */
void nsh_ipt_put(struct ipt_state *st, enum cls cls, unsigned sub, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The value after the option at st->i (which moves onto it); NULL after reporting. */
const char *nsh_ipt_arg_of(struct ipt_state *st, const char *what);
const char *nsh_ipt_text_of(struct ipt_state *st, const char *what);
/* The protocol ports are matched for: -p's, or that of a -m tcp|udp written before it. */
const char *nsh_ipt_l4(const struct ipt_state *st);
/* "!= " when the option was negated, else "". */
const char *nsh_ipt_neg_op(const struct ipt_state *st);
/* Lower-case copy of s into out[n]. */
void nsh_ipt_lower(const char *s, char *out, size_t n);

/* The options' translations (ipt_xl.c); each -1 after reporting. */
int nsh_ipt_xl_iface(struct ipt_state *st, enum cls cls);		/* -i/-o */
int nsh_ipt_xl_addr(struct ipt_state *st, enum cls cls);		/* -s/-d */
int nsh_ipt_xl_port(struct ipt_state *st, bool dport);			/* --sport/--dport */
int nsh_ipt_xl_multiport(struct ipt_state *st, bool dport);		/* --sports/--dports */
int nsh_ipt_xl_addrtype(struct ipt_state *st, bool dst);		/* --src-type/--dst-type */
int nsh_ipt_xl_ctstate(struct ipt_state *st);				/* --ctstate/--state */
int nsh_ipt_xl_ctstatus(struct ipt_state *st);				/* --ctstatus */
int nsh_ipt_xl_ctdir(struct ipt_state *st);				/* --ctdir */
int nsh_ipt_xl_mark(struct ipt_state *st, bool connmark);		/* --mark */
int nsh_ipt_xl_iprange(struct ipt_state *st, bool dst);		/* --src-range/--dst-range */
int nsh_ipt_xl_statistic(struct ipt_state *st);				/* -m statistic, at the end */
int nsh_ipt_xl_target(struct ipt_state *st);				/* -j and its options */

#endif
