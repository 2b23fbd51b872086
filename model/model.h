/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * model/: natsh's typed data: this header, ruleset.c, keys.c (the match
 * keys), values.c (typed values) and ct.h (conntrack entries).  Below it
 * sit only lib/; above it, in model/'s subfolders, syntax, nft, nl, txn
 * and plan.
 *
 * natsh's typed model of the NAT ruleset.
 *
 * This is the contract between the layers: the netlink decoder
 * (from_nftnl.c) and the rule parser (rule_parse.c) produce it; the encoder
 * (to_nftnl.c), the renderer (render/rule.c), the commands and the
 * completion engine consume it.  Nothing in here speaks netlink or prints.
 *
 * A rule is an ordered list of statements, exactly as nft sees it: a match
 * ("relational statement": KEY OP RHS) is one kind of statement, counter,
 * nat, verdict are others.  What natsh does not understand is kept as an
 * opaque statement that is shown but never re-encoded.
 */
#ifndef NSH_MODEL_H
#define NSH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Families, numerically the kernel's NFPROTO_* values. */
enum nsh_family {
	NSH_FAM_UNSPEC = 0,
	NSH_FAM_INET = 1,	/* NFPROTO_INET */
	NSH_FAM_IP = 2,		/* NFPROTO_IPV4 */
	NSH_FAM_IP6 = 10,	/* NFPROTO_IPV6 */
};

const char *nsh_family_name(int family);	/* "ip", "ip6", "inet" */
int nsh_family_parse(const char *name);		/* -1 when unknown */

/* NF_INET_* hook -> nft's name ("prerouting" ... "ingress"), "unknown" for others. */
const char *nsh_hook_name(uint32_t hooknum);

/* Datatypes of values: how a value is parsed, printed and sized. */
enum nsh_type {
	NSH_T_INVALID = 0,
	NSH_T_IFNAME,		/* string up to 16 bytes, "eth*" wildcard */
	NSH_T_IPV4,		/* 4 bytes, network order */
	NSH_T_IPV6,		/* 16 bytes, network order */
	NSH_T_PORT,		/* inet_service: 2 bytes, network order */
	NSH_T_L4PROTO,		/* inet_proto: 1 byte (tcp, udp, icmp, ...) */
	NSH_T_NFPROTO,		/* 1 byte: ipv4, ipv6 */
	NSH_T_MARK,		/* 4 bytes host order, printed 0x%08x */
	NSH_T_CT_STATE,		/* 4 bytes host order bitmask */
	NSH_T_CT_STATUS,	/* 4 bytes host order bitmask */
	NSH_T_CT_DIR,		/* 1 byte: original, reply */
	NSH_T_FIB_ADDRTYPE,	/* 4 bytes host order: RTN_* (local, unicast...) */
	NSH_T_INTEGER,		/* 4 bytes host order, printed decimal */
	NSH_T_INTEGER_BE,	/* 4 bytes network order, printed decimal (meta random) */
	NSH_T_VERDICT,		/* map data only: a verdict (vmap); code in data[0], chain apart */
	__NSH_T_MAX
};

/* Where a match key's value comes from in the kernel. */
enum nsh_key_kind {
	NSH_KK_META,		/* meta load KEY */
	NSH_KK_PAYLOAD,		/* payload load LEN @ BASE + OFFSET */
	NSH_KK_CT,		/* ct load KEY (original direction unless set) */
	NSH_KK_FIB,		/* fib FLAGS => RESULT */
	NSH_KK_NUMGEN,		/* numgen TYPE mod N offset O: the match holds TYPE, N, O */
	NSH_KK_CONCAT,		/* nsh_key_concat only: the parts are in the set (keys[]) */
};

/*
 * Match keys: the left-hand side of a match.  One row of nsh_keys[] per key
 * is the single source of truth for its name (as nft prints it), its help
 * line, its datatype and its kernel encoding.  Decoder, encoder, parser,
 * renderer and completion all walk this table.
 */
enum nsh_key_id {
	NSH_K_IIFNAME,
	NSH_K_OIFNAME,
	NSH_K_META_L4PROTO,
	NSH_K_META_MARK,
	NSH_K_META_NFPROTO,
	NSH_K_IP_SADDR,
	NSH_K_IP_DADDR,
	NSH_K_IP_PROTOCOL,
	NSH_K_IP6_SADDR,
	NSH_K_IP6_DADDR,
	NSH_K_IP6_NEXTHDR,
	NSH_K_TCP_SPORT,
	NSH_K_TCP_DPORT,
	NSH_K_UDP_SPORT,
	NSH_K_UDP_DPORT,
	NSH_K_TH_SPORT,
	NSH_K_TH_DPORT,
	NSH_K_SCTP_SPORT,
	NSH_K_SCTP_DPORT,
	NSH_K_DCCP_SPORT,
	NSH_K_DCCP_DPORT,
	NSH_K_UDPLITE_SPORT,
	NSH_K_UDPLITE_DPORT,
	NSH_K_CT_STATE,
	NSH_K_CT_STATUS,
	NSH_K_CT_MARK,
	NSH_K_CT_DIRECTION,
	NSH_K_FIB_SADDR_TYPE,
	NSH_K_FIB_DADDR_TYPE,
	NSH_K_META_RANDOM,
	NSH_K_META_LENGTH,
	NSH_K_META_CPU,
	NSH_K_NUMGEN,		/* "numgen inc mod 3 0": parameters in struct nsh_match */
	__NSH_K_MAX
};

struct nsh_key_def {
	enum nsh_key_id id;
	const char *name;	/* as nft prints it: "tcp dport", "iifname" */
	const char *help;	/* one line for completion hints and help */
	enum nsh_type type;
	enum nsh_key_kind kind;
	uint32_t nl_key;	/* NFT_META_*, NFT_CT_*, NFT_FIB_RESULT_*, NFT_PAYLOAD_*_HEADER */
	uint32_t offset;	/* payload: byte offset in its header */
	uint32_t len;		/* bytes loaded into the register */
	uint32_t fib_flags;	/* fib: NFTA_FIB_F_* */
	uint8_t nfproto_dep;	/* implied "meta nfproto" in inet tables (0: none) */
	uint8_t l4proto_dep;	/* implied "meta l4proto" (0: none; 255: th = any) */
};

extern const struct nsh_key_def nsh_keys[__NSH_K_MAX];
/*
 * The key of a concatenation ("ip daddr . tcp dport"): not in nsh_keys[]
 * (no name to look up, id __NSH_K_MAX, type NSH_T_INVALID); its parts are
 * the set's keys[].  A match or map whose key is this one always has a set.
 */
extern const struct nsh_key_def nsh_key_concat;
const struct nsh_key_def *nsh_key_lookup(const char *name);	/* NULL when unknown */

/* Length in bytes of values of a datatype. */
size_t nsh_type_len(enum nsh_type type);

/* A value as the kernel holds it in a register (byte order per type). */
struct nsh_val {
	uint8_t len;
	uint8_t data[16];
};

enum nsh_op {
	NSH_OP_EQ,		/* implicit: "tcp dport 80" */
	NSH_OP_NEQ,		/* "!=" */
	NSH_OP_LT,
	NSH_OP_GT,
	NSH_OP_LTE,
	NSH_OP_GTE,
};

/*
 * One element of an anonymous set or map.  Interface names: an exact name
 * is NSH_ELEM_VALUE with lo.len 16 (NUL padded); "eth*" is NSH_ELEM_PREFIX
 * with lo = "eth" (lo.len 3) and plen 24, as a match value "eth*" has
 * val.len 3.  In the kernel both are intervals: [name, name+1) and
 * ["eth", "eti") over 16 bytes (rule_parse.c and to_nftnl.c write them so).
 */
enum nsh_elem_kind {
	NSH_ELEM_VALUE,		/* 80 */
	NSH_ELEM_RANGE,		/* 1000-2000 */
	NSH_ELEM_PREFIX,	/* 192.0.2.0/24 */
};

struct nsh_elem {
	enum nsh_elem_kind kind;
	struct nsh_val lo;	/* value, range start, prefix address */
	struct nsh_val hi;	/* range end (inclusive) */
	uint8_t plen;		/* prefix length */
	/* maps: the data; ndata == 2 for "ADDR . PORT" concatenations */
	uint8_t ndata;
	struct nsh_val data[2];
};

/* Parts of a concatenation (natsh reads back keys of up to 40 bytes). */
#define NSH_CONCAT_MAX 8

/*
 * An anonymous set or map as written in a rule: "{ 80, 443 }".
 * Concatenations (nkeys >= 2): keys[] are the parts, key_type is
 * NSH_T_INVALID, and each element is nkeys consecutive entries of elems[]
 * (one per part, each a value, range or prefix of its key's type; map data
 * in the first), so elems holds nelems * nkeys entries.  Verdict maps:
 * data_type[0] NSH_T_VERDICT, data[0].data[0] the enum nsh_verdict and
 * chains[i] element i's jump/goto target.  A named set or map a match or
 * vmap refers to with a concatenated key has a set of no elements that
 * only carries keys[].
 */
struct nsh_set {
	enum nsh_type key_type;
	enum nsh_type data_type[2];	/* maps only */
	uint8_t ndata;			/* 0: a set; 1 or 2: a map */
	uint8_t nkeys;			/* concatenation: parts (2..NSH_CONCAT_MAX), else 0 */
	bool interval;
	size_t nelems;
	struct nsh_elem *elems;
	char **chains;			/* vmaps: nelems targets (owned, NULL entries), else NULL */
	const struct nsh_key_def **keys;	/* concatenation: nkeys parts (owned), else NULL */
};

/* Entries of elems[] per element: nkeys for a concatenation, else 1. */
static inline size_t nsh_set_stride(const struct nsh_set *set)
{
	return set->nkeys > 1 ? set->nkeys : 1;
}

/* Right-hand side of a match. */
enum nsh_rhs_kind {
	NSH_RHS_VALUE,		/* 80; also a bitmask "established,related" */
	NSH_RHS_PREFIX,		/* 192.0.2.0/24 */
	NSH_RHS_RANGE,		/* 80-90 */
	NSH_RHS_SET,		/* { 80, 443 } */
	NSH_RHS_NAMED_SET,	/* @name */
};

struct nsh_match {
	const struct nsh_key_def *key;
	struct nsh_set *set;	/* SET (owned) */
	char *set_name;		/* NAMED_SET (owned) */
	enum nsh_op op;
	enum nsh_rhs_kind rhs;
	/* key NSH_K_NUMGEN only: the generator, as in struct nsh_mapkey */
	uint32_t numgen_type;	/* NFT_NG_INCREMENTAL / NFT_NG_RANDOM */
	uint32_t numgen_mod;
	uint32_t numgen_offset;
	struct nsh_val val;	/* VALUE, PREFIX address, RANGE start */
	struct nsh_val hi;	/* RANGE end */
	uint8_t plen;		/* PREFIX length */
	bool bitmask;		/* ct state/status: "a,b" means (key & v) != 0 */
};

enum nsh_nat_type { NSH_NAT_SNAT, NSH_NAT_DNAT, NSH_NAT_MASQ, NSH_NAT_REDIR };

/* Where the address of a dnat/snat comes from. */
enum nsh_nat_addr {
	NSH_NAT_ADDR_NONE,	/* masquerade, redirect, "dnat to :80" */
	NSH_NAT_ADDR_VALUE,	/* to 192.0.2.1 */
	NSH_NAT_ADDR_RANGE,	/* to 192.0.2.1-192.0.2.9 */
	NSH_NAT_ADDR_PREFIX,	/* to 192.0.2.0/24 (kernel: range) */
	NSH_NAT_ADDR_MAP,	/* to KEY map { ... } */
};

/* The key of a nat map: "numgen random mod 2" or a match key ("tcp dport"). */
enum nsh_mapkey_kind { NSH_MAPKEY_NUMGEN, NSH_MAPKEY_KEY };

struct nsh_mapkey {
	const struct nsh_key_def *key;	/* NSH_MAPKEY_KEY */
	enum nsh_mapkey_kind kind;
	uint32_t numgen_type;		/* NFT_NG_RANDOM / NFT_NG_INCREMENTAL */
	uint32_t numgen_mod;
	uint32_t numgen_offset;
};

struct nsh_nat {
	struct nsh_set *map;		/* NSH_NAT_ADDR_MAP (owned); data ADDR or ADDR . PORT */
	struct nsh_mapkey mapkey;	/* NSH_NAT_ADDR_MAP */
	enum nsh_nat_type type : 8;	/* 8 bits: the statement stays 96 bytes */
	enum nsh_nat_addr addr : 8;
	uint8_t family;			/* NSH_FAM_IP/IP6 when written "dnat ip to", else 0 */
	uint8_t addr_plen;
	uint32_t flags;			/* NF_NAT_RANGE_PROTO_RANDOM, _PERSISTENT, _RANDOM_FULLY */
	uint16_t port_min, port_max;	/* host order; equal when a single port */
	struct nsh_val addr_min, addr_max;
	bool has_port;
};

enum nsh_verdict {
	NSH_V_ACCEPT, NSH_V_DROP, NSH_V_RETURN, NSH_V_CONTINUE, NSH_V_JUMP, NSH_V_GOTO
};

enum nsh_stmt_kind {
	NSH_ST_MATCH,
	NSH_ST_COUNTER,
	NSH_ST_NAT,
	NSH_ST_VERDICT,
	NSH_ST_NUMGEN_MATCH,	/* unused: "numgen inc mod 2 0" is NSH_ST_MATCH, key NSH_K_NUMGEN */
	NSH_ST_OPAQUE,		/* not understood: shown, never re-encoded */
	/* the other statements of nft (model/stmts.h): each its own union member */
	NSH_ST_REJECT,
	NSH_ST_LIMIT,
	NSH_ST_QUOTA,
	NSH_ST_LOG,
	NSH_ST_NOTRACK,
	NSH_ST_SET,		/* meta/ct/payload FIELD set VALUE */
	NSH_ST_DYNSET,		/* add/update/delete @set { KEY [timeout T] } */
	NSH_ST_VMAP,		/* KEY vmap { ... } or KEY vmap @name: a verdict from a map */
};

/*
 * A verdict map: key (a match key, numgen, or nsh_key_concat with the
 * parts in map->keys[]) looked up in an anonymous map (map, elements with
 * verdict data) or a named one (name; map then NULL or only keys[]).
 */
struct nsh_vmap {
	struct nsh_set *map;		/* owned */
	char *name;			/* owned, NULL for an anonymous map */
	struct nsh_mapkey key;
};

#include "model/stmts.h"

/* Statement members are ordered for size: a rule of four statements is 384 bytes. */
struct nsh_stmt {
	enum nsh_stmt_kind kind;
	/* where the parser read it, relative to the rule text (0/0 when decoded) */
	uint32_t src_off, src_len;
	union {
		struct nsh_match match;
		struct {
			uint64_t packets, bytes;
		} counter;
		struct nsh_nat nat;
		struct {
			enum nsh_verdict code;
			char *chain;	/* jump/goto target (owned) */
		} verdict;
		struct {
			char *text;	/* best-effort rendering (owned) */
		} opaque;
		struct nsh_reject reject;
		struct nsh_limit limit;
		struct nsh_quota quota;
		struct nsh_log log;
		struct nsh_setst set;
		struct nsh_dynset dynset;
		struct nsh_vmap vmap;
	};
};
_Static_assert(sizeof(struct nsh_stmt) == 96, "a statement stays 96 bytes");

/*
 * Members ordered for size (64 bytes: a chain of 50,000 rules is an array of
 * them; nft_text took it from 56).
 */
struct nsh_rule {
	uint64_t handle;		/* 0 until the kernel assigned one */
	char *comment;			/* owned, NULL when none */
	/*
	 * Opaque rules only: the rule as nft lists it (libnftables, model/nl/
	 * nftlib.c), counters and comment included, no handle; owned, NULL when
	 * natsh understands the rule or nft's text could not be had.
	 */
	char *nft_text;
	uint64_t packets, bytes;	/* from the first counter statement */
	size_t nstmts;
	struct nsh_stmt *stmts;		/* owned */
	uint32_t position;		/* 1..n in its chain */
	bool has_counter;
	bool opaque;			/* holds something natsh cannot re-encode */
	bool xt;			/* holds iptables-nft (xt) expressions */
	bool staged;			/* shown inside begin: not committed yet (no handle) */
};

struct nsh_chain {
	char *name;
	uint64_t handle;
	bool base;			/* has a hook */
	char *type;			/* "nat", "filter", "route" */
	uint32_t hooknum;		/* NF_INET_* */
	int32_t prio;
	uint32_t policy;		/* NF_ACCEPT / NF_DROP */
	size_t nrules;
	struct nsh_rule *rules;		/* owned, in chain order */
};

/*
 * Named sets and maps of a table ("set NAME { ... }"), kept for save and
 * load.  Key and data types are nft's datatype ids (nft's TYPE_*, the
 * kernel's NFTA_SET_KEY_TYPE: a concatenation holds up to NSH_NSET_FIELDS
 * ids, 6 bits each, the first field in the highest bits).  Values are the
 * kernel's bytes; each field of a concatenation takes a multiple of 4.
 */
#define NSH_NSET_FIELDS 4
#define NSH_NSET_KEYMAX 40
#define NSH_DT_VERDICT 1		/* nft's TYPE_VERDICT: a verdict map's data */
#define NSH_DT_VERDICT_DATA 0xffffff00u	/* NFT_DATA_VERDICT, the kernel's data type */

/* One element: a value, or (interval sets) [key, key_end] inclusive. */
struct nsh_nset_elem {
	uint8_t key[NSH_NSET_KEYMAX];
	uint8_t key_end[NSH_NSET_KEYMAX];	/* == key for a single value */
	uint8_t data[NSH_NSET_KEYMAX];		/* maps (not verdict maps) */
	int32_t verdict;			/* verdict maps: NF_ACCEPT, NFT_JUMP, ... */
	char *chain;				/* jump/goto target (owned) */
	uint64_t timeout;			/* ms, 0: the set's */
	char *comment;				/* owned, NULL when none */
	bool end;				/* decoder's scratch: an interval's end */
};

struct nsh_nset_type {
	uint8_t n;				/* fields; 1 unless a concatenation */
	uint8_t id[NSH_NSET_FIELDS];		/* nft datatype id of each field */
	uint8_t len[NSH_NSET_FIELDS];		/* bytes of each field (unpadded) */
};

struct nsh_nset {
	char *name;
	uint64_t handle;
	uint32_t flags;				/* NFT_SET_* (NFT_SET_MAP for maps) */
	struct nsh_nset_type key;
	struct nsh_nset_type data;		/* maps: n 1, id NSH_DT_VERDICT for vmaps */
	uint32_t policy;			/* NFT_SET_POL_*; 0: performance */
	uint32_t size;				/* 0: none */
	uint64_t timeout;			/* ms, 0: none */
	uint32_t gc_interval;			/* ms, 0: none */
	uint32_t key_wire, data_wire;		/* the kernel's types, kept when unknown */
	bool known;				/* key and data types are natsh's to write */
	bool counter;				/* "counter" on every element */
	bool automerge;				/* "auto-merge" */
	char *typeof_key;			/* "ip saddr" for "typeof ip saddr" (owned), or NULL */
	char *comment;				/* owned, NULL when none */
	size_t nelems;
	struct nsh_nset_elem *elems;		/* owned, in the order nft lists them */
};

/* The datatypes a named set's key or map data may have (model/nset.c). */
struct nsh_dtype {
	uint8_t id;			/* nft's TYPE_* */
	const char *name;		/* "ipv4_addr" as nft prints it */
	uint8_t len;			/* bytes */
	enum nsh_type type;		/* how values are parsed and printed */
	uint8_t per_line;		/* elements per line nft lists (1: one per line) */
};
/* NULL when natsh does not know the datatype. */
const struct nsh_dtype *nsh_dtype_find(uint8_t id);
const struct nsh_dtype *nsh_dtype_lookup(const char *name);

/* Bytes a key or data value of this type takes (fields of concatenations padded to 4). */
size_t nsh_nset_type_len(const struct nsh_nset_type *t);
/* The kernel's NFTA_SET_KEY_TYPE / DATA_TYPE of t (6 bits a field). */
uint32_t nsh_nset_type_wire(const struct nsh_nset_type *t);
/* Split a wire type into fields with their lengths; -1 when a field is unknown. */
int nsh_nset_type_from_wire(uint32_t wire, struct nsh_nset_type *t);
void nsh_nset_clear(struct nsh_nset *s);	/* frees members, not s */

struct nsh_table {
	uint8_t family;
	char *name;
	uint64_t handle;
	uint32_t flags;
	bool has_nat;			/* has a chain of type nat */
	bool has_xt;			/* holds rules written by iptables-nft */
	size_t nchains;
	struct nsh_chain *chains;	/* owned, in kernel order */
	size_t nsets;
	struct nsh_nset *sets;		/* owned: named sets and maps, in kernel order */
};

struct nsh_ruleset {
	uint32_t genid;			/* nf_tables generation this was read at */
	size_t ntables;
	struct nsh_table *tables;	/* owned: only tables with a nat chain */
	bool no_rules;			/* tables and chains only (nsh_ruleset_dump_chains) */
};

/* Free functions: NULL is a no-op; they free what the struct owns. */
void nsh_ruleset_free(struct nsh_ruleset *rs);
void nsh_rule_clear(struct nsh_rule *r);	/* frees members, not r */
void nsh_stmt_clear(struct nsh_stmt *s);
void nsh_set_free(struct nsh_set *set);

/* natsh's own table, inet natsh, and its base chains in the order they are created. */
#define NSH_OWN_TABLE "natsh"
#define NSH_OWN_FAMILY NSH_FAM_INET
#define NSH_OWN_NCHAINS 4
struct nsh_own_chain {
	const char *name;		/* also the hook's name */
	uint32_t hooknum;		/* NF_INET_* */
	int32_t prio;
};
extern const struct nsh_own_chain nsh_own_chains[NSH_OWN_NCHAINS];
/* One of natsh's base chains by name; NULL when the name is none of them. */
const struct nsh_own_chain *nsh_own_chain_find(const char *name);

/* Lookups in a ruleset; NULL when not found. */
struct nsh_table *nsh_ruleset_find_table(const struct nsh_ruleset *rs, int family,
					 const char *name);
struct nsh_chain *nsh_table_find_chain(const struct nsh_table *t, const char *name);
struct nsh_rule *nsh_chain_find_handle(const struct nsh_chain *c, uint64_t handle);

#endif
