/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark and test helper: create N conntrack entries through ctnetlink,
 * fast (batched messages).  Run inside a namespace only.
 *   ct_inject N [dnat] [v6]
 * Entries: tcp ESTABLISHED 203.0.113.X:P -> 198.51.100.1:8080, with dnat
 * translated to 192.0.2.10:80 (IPv6: 2001:db8:1::X -> 2001:db8::1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/nl/ct.h"

#define CHUNK 4096

/* Inject N entries in chunks, so memory stays small for any N. */
int main(int argc, char **argv)
{
	struct nsh_ct_new *v;
	struct nsh_ctnl *c;
	bool dnat = false, v6 = false;
	long n, i, done = 0;
	int k;

	if (argc < 2 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: ct_inject N [dnat] [v6]\n");
		return 2;
	}
	for (k = 2; k < argc; k++) {
		dnat |= !strcmp(argv[k], "dnat");
		v6 |= !strcmp(argv[k], "v6");
	}
	c = nsh_ctnl_open();
	if (!c) {
		perror("ct_inject: netlink");
		return 1;
	}
	v = calloc(CHUNK, sizeof(*v));
	for (i = 0; i < n; i += CHUNK) {
		long j, m = n - i < CHUNK ? n - i : CHUNK, r;

		memset(v, 0, CHUNK * sizeof(*v));
		for (j = 0; j < m; j++) {
			struct nsh_ct *ct = &v[j].ct;
			long id = i + j;

			ct->family = v6 ? AF_INET6 : AF_INET;
			ct->proto = IPPROTO_TCP;
			ct->has_tcp_state = true;
			ct->tcp_state = 3;	/* ESTABLISHED */
			ct->timeout = 3600;
			if (v6) {
				inet_pton(AF_INET6, "2001:db8:1::", ct->orig.src);
				inet_pton(AF_INET6, "2001:db8::1", ct->orig.dst);
				inet_pton(AF_INET6, "2001:db8:2::10", v[j].nat_addr);
			} else {
				inet_pton(AF_INET, "203.0.113.0", ct->orig.src);
				inet_pton(AF_INET, "198.51.100.1", ct->orig.dst);
				inet_pton(AF_INET, "192.0.2.10", v[j].nat_addr);
			}
			/* 50000 ports per source address, sources 203.0.113.1.. */
			ct->orig.src[v6 ? 15 : 3] = (uint8_t)(1 + id / 50000);
			ct->orig.sport = (uint16_t)(10000 + id % 50000);
			ct->orig.dport = 8080;
			v[j].dnat = dnat;
			v[j].nat_port = 80;
		}
		r = nsh_ct_create(c, v, (size_t)m);
		if (r < 0) {
			fprintf(stderr, "ct_inject: create: %s\n", strerror(errno));
			return 1;
		}
		done += r;
	}
	printf("%ld\n", done);
	free(v);
	nsh_ctnl_close(c);
	return 0;
}
