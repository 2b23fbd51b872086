/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Are there iptables-legacy NAT rules in this namespace (x_tables, not nf_tables)? */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/netfilter_ipv4/ip_tables.h>


int nsh_legacy_nat_rules(void);

/*
 * /proc/net/ip_tables_names lists the legacy tables loaded here; the nat
 * one is asked (IPT_SO_GET_INFO) how many entries it holds: an empty nat
 * table holds its four policies and the error entry.  Never asks when the
 * table is not listed (asking would load it).  1: rules, 0: none, -1: unknown.
 */
int nsh_legacy_nat_rules(void)
{
	FILE *f = fopen("/proc/net/ip_tables_names", "re");
	struct ipt_getinfo info;
	socklen_t len = sizeof(info);
	char line[64];
	bool listed = false;
	int fd, r;

	while (f && fgets(line, sizeof(line), f))
		listed |= !strcmp(line, "nat\n");
	if (f)
		fclose(f);
	if (!listed)
		return 0;
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	strcpy(info.name, "nat");
	r = getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &info, &len);
	close(fd);
	if (r < 0)
		return -1;
	return info.num_entries > 5;
}
