/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values of natsh's datatypes: text -> register bytes. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "model/values.h"
#include "lib/util.h"

static const struct nsh_sym ct_state_syms[] = {
	{ "invalid", 1, "packet does not belong to a known connection" },
	{ "established", 2, "packet of a connection that saw traffic both ways" },
	{ "related", 4, "new connection related to an existing one" },
	{ "new", 8, "first packet of a connection" },
	{ "untracked", 64, "connection tracking is switched off for it" },
	{ NULL, 0, NULL },
};

static const struct nsh_sym ct_status_syms[] = {
	{ "expected", 1, "expected connection" },
	{ "seen-reply", 2, "packets were seen in both directions" },
	{ "assured", 4, "connection will not be dropped early" },
	{ "confirmed", 8, "connection was confirmed" },
	{ "snat", 16, "connection is source-NATed" },
	{ "dnat", 32, "connection is destination-NATed" },
	{ "dying", 512, "connection is being removed" },
	{ NULL, 0, NULL },
};

static const struct nsh_sym ct_dir_syms[] = {
	{ "original", 0, "packet goes the way the connection was opened" },
	{ "reply", 1, "packet goes back to the opener" },
	{ NULL, 0, NULL },
};

static const struct nsh_sym fib_syms[] = {
	{ "unspec", 0, "unspecified route type" },
	{ "unicast", 1, "a unicast route (gateway or direct)" },
	{ "local", 2, "an address of this host" },
	{ "broadcast", 3, "a broadcast address" },
	{ "anycast", 4, "an anycast address" },
	{ "multicast", 5, "a multicast address" },
	{ "blackhole", 6, "a blackhole route" },
	{ "unreachable", 7, "an unreachable route" },
	{ "prohibit", 8, "a prohibit route" },
	{ NULL, 0, NULL },
};

static const struct nsh_sym nfproto_syms[] = {
	{ "ipv4", 2, "IPv4 packets" },
	{ "ipv6", 10, "IPv6 packets" },
	{ NULL, 0, NULL },
};

static const struct nsh_sym l4proto_syms[] = {
	{ "tcp", 6, "TCP" },
	{ "udp", 17, "UDP" },
	{ "icmp", 1, "ICMP" },
	{ "icmpv6", 58, "ICMPv6" },
	{ "ipv6-icmp", 58, "ICMPv6" },
	{ "sctp", 132, "SCTP" },
	{ "dccp", 33, "DCCP" },
	{ "udplite", 136, "UDP-Lite" },
	{ "gre", 47, "GRE" },
	{ "esp", 50, "IPsec ESP" },
	{ "ah", 51, "IPsec AH" },
	{ "igmp", 2, "IGMP" },
	{ NULL, 0, NULL },
};

const struct nsh_sym *nsh_type_symbols(enum nsh_type type)
{
	switch (type) {
	case NSH_T_CT_STATE:	return ct_state_syms;
	case NSH_T_CT_STATUS:	return ct_status_syms;
	case NSH_T_CT_DIR:	return ct_dir_syms;
	case NSH_T_FIB_ADDRTYPE: return fib_syms;
	case NSH_T_NFPROTO:	return nfproto_syms;
	case NSH_T_L4PROTO:	return l4proto_syms;
	default:		return NULL;
	}
}

static int sym_lookup(const struct nsh_sym *syms, const char *s, uint32_t *out)
{
	for (; syms && syms->name; syms++)
		if (strcmp(syms->name, s) == 0) {
			*out = syms->value;
			return 0;
		}
	return -1;
}

/* Decimal or 0x-hex, nothing else, fits 32 bits. */
int nsh_u32_parse(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

static void put_host32(struct nsh_val *v, uint32_t x)
{
	memset(v, 0, sizeof(*v));
	v->len = 4;
	memcpy(v->data, &x, 4);
}

static int port_parse(const char *s, struct nsh_val *v)
{
	uint32_t n;
	uint16_t be;
	struct servent *se;

	if (nsh_u32_parse(s, &n) == 0) {
		if (n > 65535)
			return -1;
	} else {
		if (!isalpha((unsigned char)s[0]))
			return -1;
		se = getservbyname(s, "tcp");
		if (!se)
			se = getservbyname(s, "udp");
		if (!se)
			return -1;
		n = ntohs((uint16_t)se->s_port);
	}
	memset(v, 0, sizeof(*v));
	v->len = 2;
	be = htons((uint16_t)n);
	memcpy(v->data, &be, 2);
	return 0;
}

static int byte_sym_parse(enum nsh_type type, const char *s, struct nsh_val *v)
{
	uint32_t n;
	struct protoent *pe;

	if (sym_lookup(nsh_type_symbols(type), s, &n) < 0) {
		if (nsh_u32_parse(s, &n) == 0) {
			if (n > 255)
				return -1;
		} else if (type == NSH_T_L4PROTO && isalpha((unsigned char)s[0]) &&
			   (pe = getprotobyname(s)) != NULL) {
			n = pe->p_proto;
		} else {
			return -1;
		}
	}
	memset(v, 0, sizeof(*v));
	v->len = 1;
	v->data[0] = n;
	return 0;
}

int nsh_ifname_parse(const char *s, struct nsh_val *v, bool *wildcard)
{
	size_t n = strlen(s);

	*wildcard = false;
	if (n == 0 || n >= 16)
		return -1;
	if (s[n - 1] == '*') {
		n--;
		if (n == 0)
			return -1;
		*wildcard = true;
	}
	if (memchr(s, '*', n) || memchr(s, '/', n))
		return -1;
	memset(v, 0, sizeof(*v));
	memcpy(v->data, s, n);
	v->len = *wildcard ? n : 16;
	return 0;
}

int nsh_val_parse(enum nsh_type type, const char *s, struct nsh_val *v)
{
	uint32_t n;
	bool wc;

	switch (type) {
	case NSH_T_IFNAME:
		if (nsh_ifname_parse(s, v, &wc) < 0 || wc)
			return -1;
		return 0;
	case NSH_T_IPV4:
		memset(v, 0, sizeof(*v));
		v->len = 4;
		return inet_pton(AF_INET, s, v->data) == 1 ? 0 : -1;
	case NSH_T_IPV6:
		memset(v, 0, sizeof(*v));
		v->len = 16;
		return inet_pton(AF_INET6, s, v->data) == 1 ? 0 : -1;
	case NSH_T_PORT:
		return port_parse(s, v);
	case NSH_T_L4PROTO:
	case NSH_T_NFPROTO:
	case NSH_T_CT_DIR:
		return byte_sym_parse(type, s, v);
	case NSH_T_CT_STATE:
	case NSH_T_CT_STATUS:
	case NSH_T_FIB_ADDRTYPE:
		if (sym_lookup(nsh_type_symbols(type), s, &n) < 0 && nsh_u32_parse(s, &n) < 0)
			return -1;
		put_host32(v, n);
		return 0;
	case NSH_T_MARK:
	case NSH_T_INTEGER:
		if (nsh_u32_parse(s, &n) < 0)
			return -1;
		put_host32(v, n);
		return 0;
	case NSH_T_INTEGER_BE:
		if (nsh_u32_parse(s, &n) < 0)
			return -1;
		memset(v, 0, sizeof(*v));
		v->len = 4;
		v->data[0] = n >> 24;
		v->data[1] = n >> 16;
		v->data[2] = n >> 8;
		v->data[3] = n;
		return 0;
	default:
		return -1;
	}
}

bool nsh_type_has_prefix(enum nsh_type type)
{
	return type == NSH_T_IPV4 || type == NSH_T_IPV6;
}

bool nsh_type_has_range(enum nsh_type type)
{
	switch (type) {
	case NSH_T_IPV4:
	case NSH_T_IPV6:
	case NSH_T_PORT:
	case NSH_T_MARK:
	case NSH_T_INTEGER:
	case NSH_T_INTEGER_BE:
	case NSH_T_L4PROTO:
		return true;
	default:
		return false;
	}
}

bool nsh_type_is_host_order(enum nsh_type type)
{
	switch (type) {
	case NSH_T_MARK:
	case NSH_T_CT_STATE:
	case NSH_T_CT_STATUS:
	case NSH_T_FIB_ADDRTYPE:
	case NSH_T_INTEGER:
		return true;
	default:
		return false;
	}
}

bool nsh_type_is_bitmask(enum nsh_type type)
{
	return type == NSH_T_CT_STATE || type == NSH_T_CT_STATUS;
}

int nsh_val_prefix_mask(struct nsh_val *v, unsigned plen)
{
	unsigned i;

	if (plen > v->len * 8u)
		return -1;
	for (i = 0; i < v->len; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		v->data[i] &= (uint8_t)(0xff00 >> plen);
		plen = 0;
	}
	return 0;
}

void nsh_val_prefix_last(struct nsh_val *v, unsigned plen)
{
	unsigned i;

	for (i = 0; i < v->len; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		v->data[i] |= (uint8_t)(0xff >> plen);
		plen = 0;
	}
}

int nsh_val_cmp(enum nsh_type type, const struct nsh_val *a, const struct nsh_val *b)
{
	uint32_t x, y;

	if (nsh_type_is_host_order(type)) {
		memcpy(&x, a->data, 4);
		memcpy(&y, b->data, 4);
		return x < y ? -1 : x > y;
	}
	return memcmp(a->data, b->data, a->len < b->len ? a->len : b->len);
}

/* Prefix length when [lo, hi] is one CIDR block, else -1. */
int nsh_range_plen(const struct nsh_val *lo, const struct nsh_val *hi)
{
	size_t n = lo->len, bit;
	int plen = -1;

	for (bit = 0; bit < n * 8; bit++) {
		int bl = lo->data[bit / 8] >> (7 - bit % 8) & 1;
		int bh = hi->data[bit / 8] >> (7 - bit % 8) & 1;

		if (plen < 0) {
			if (bl == bh)
				continue;
			plen = (int)bit;
		}
		if (bl != 0 || bh != 1)
			return -1;
	}
	return plen;
}
