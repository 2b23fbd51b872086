/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * nft's statements besides matches, counter, nat and verdicts: reject,
 * limit, quota, log, notrack, FIELD set VALUE and set updates (dynset).
 * Included by model.h inside struct nsh_stmt's definition order; each is one
 * union member of struct nsh_stmt and stays within its 80 bytes.
 *
 * The settable fields (nsh_setfs[], stmts.c) are the single source of truth
 * for "meta mark set", "ip dscp set", ...: decoder, encoder, parser,
 * renderer and completion walk that table.
 */
#ifndef NSH_STMTS_H
#define NSH_STMTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* reject: "reject", "reject with tcp reset", "with icmp|icmpv6|icmpx CODE". */
struct nsh_reject {
	uint8_t type;		/* NFT_REJECT_ICMP_UNREACH, _TCP_RST, _ICMPX_UNREACH */
	uint8_t code;		/* icmp, icmpv6 or icmpx code */
	uint8_t family;		/* ICMP_UNREACH: NSH_FAM_IP (icmp) or NSH_FAM_IP6 (icmpv6) */
};

/* limit rate [over] N/UNIT [burst N packets] or N [k|m]bytes/UNIT [burst N bytes]. */
struct nsh_limit {
	uint64_t rate;		/* packets or bytes per unit */
	uint64_t unit;		/* seconds: 1, 60, 3600, 86400, 604800 */
	uint32_t burst;
	bool bytes;
	bool over;
};

/* quota [over] N [k|m]bytes [used N [k|m]bytes]. */
struct nsh_quota {
	uint64_t bytes, used;
	bool over;
};

/* log [prefix "P"] [group N] [snaplen N] [queue-threshold N] [level L] [flags F]. */
enum {
	NSH_LOG_PREFIX = 1, NSH_LOG_GROUP = 2, NSH_LOG_SNAPLEN = 4, NSH_LOG_QTHRESH = 8,
	NSH_LOG_LEVEL = 16, NSH_LOG_FLAGS = 32,
};
struct nsh_log {
	char *prefix;		/* owned */
	uint32_t level;		/* syslog level, 8: audit */
	uint32_t flags;		/* NF_LOG_* */
	uint32_t snaplen;
	uint16_t group, qthreshold;
	uint8_t has;		/* NSH_LOG_* given */
};

/* Fields a statement can set, and how their values print. */
enum nsh_setf_kind { NSH_SF_META, NSH_SF_CT, NSH_SF_PAYLOAD };
enum nsh_setf_fmt {
	NSH_SF_MARK,		/* 0x%08x */
	NSH_SF_DEC,		/* decimal */
	NSH_SF_PRIO,		/* tc class major:minor */
	NSH_SF_DSCP,		/* nft's dscp names (cs1, af11, ef...) or 0x%02x */
	NSH_SF_PORT,		/* inet_service: a number */
};

struct nsh_setf {
	const char *name;	/* as nft prints it: "meta mark", "ip dscp" */
	const char *help;
	enum nsh_setf_kind kind : 8;
	enum nsh_setf_fmt fmt : 8;
	uint8_t len;		/* meta/ct: register bytes; payload: bytes written */
	uint8_t nfproto;	/* payload: implied meta nfproto in inet tables */
	uint8_t l4proto;	/* payload: implied meta l4proto (0: none) */
	uint8_t csum_type;	/* payload: NFT_PAYLOAD_CSUM_* */
	uint8_t csum_off;	/* payload: checksum offset in the header */
	uint32_t nl_key;	/* NFT_META_*, NFT_CT_*, NFT_PAYLOAD_*_HEADER */
	uint32_t off;		/* payload: byte offset of the bytes written */
	uint32_t shift;		/* payload: the field's lowest bit in those bytes (big-endian) */
	uint32_t max;		/* largest value */
};

extern const struct nsh_setf nsh_setfs[];	/* ends with a NULL name */
const struct nsh_setf *nsh_setf_lookup(const char *name);	/* NULL when unknown */
/* The field of kind/nl_key (meta, ct) or at a payload base/offset/len; NULL when none. */
const struct nsh_setf *nsh_setf_find(enum nsh_setf_kind kind, uint32_t nl_key, uint32_t off,
				     uint32_t len, uint32_t shift);

/*
 * FIELD set VALUE, or a mark set from a mark: "meta mark set ct mark & 0xff | 0x1".
 * The value: src NULL: val (a host-order number in 4 bytes; PORT: network
 * order in 2); else (src & mask) ^ xor.
 */
struct nsh_setst {
	const struct nsh_setf *f;
	const struct nsh_setf *src;
	uint32_t mask, xor;
	uint32_t val;
};

/* add|update|delete @SET { KEY [. KEY] [timeout T] } */
struct nsh_key_def;
struct nsh_dynset {
	char *set;				/* owned */
	const struct nsh_key_def *key[2];
	uint64_t timeout;			/* ms; 0: none */
	uint8_t op;				/* NFT_DYNSET_OP_* */
	uint8_t nkeys;
};

/* Does a statement end the rule's evaluation (nat, verdict, reject)? */
struct nsh_stmt;
bool nsh_stmt_ends_rule(const struct nsh_stmt *s);

/* Text of ICMP codes as nft names them; NULL when it has no name. */
const char *nsh_icmp_code_name(int family, uint8_t type, uint8_t code);
/* family NSH_FAM_IP: icmp, NSH_FAM_IP6: icmpv6, 0: icmpx; -1 when unknown. */
int nsh_icmp_code_parse(int family, const char *name);

#endif
