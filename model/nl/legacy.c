/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables-legacy nat tables: /proc/net/ip_tables_names says whether one
 * exists in this namespace; IPT_SO_GET_INFO says how many entries it has.
 * The table is asked about only when it is listed, because asking for a
 * table that is not there would make the kernel create it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "model/nl/legacy.h"

/* A nat table has 4 built-in chains (a policy entry each) and the final error entry. */
#define NAT_BUILTIN_ENTRIES 5

/* Is "nat" a line of the file? */
static int listed(const char *path)
{
	char line[64];
	FILE *f = fopen(path, "re");
	int found = 0;

	if (!f)
		return 0;	/* no ip_tables module: no legacy table */
	while (!found && fgets(line, sizeof(line), f))
		found = strcmp(line, "nat\n") == 0 || strcmp(line, "nat") == 0;
	fclose(f);
	return found;
}

/* See legacy.h. */
bool nsh_legacy_nat_loaded(int family)
{
	return listed(family == NSH_FAM_IP6 ? "/proc/net/ip6_tables_names" :
					      "/proc/net/ip_tables_names");
}

/* See legacy.h. */
long nsh_legacy_nat_rules(int family)
{
	bool v6 = family == NSH_FAM_IP6;
	struct ipt_getinfo info;	/* ip6t_getinfo has the same layout */
	socklen_t len = sizeof(info);
	int fd, rc, err;

	if (!listed(v6 ? "/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names"))
		return 0;
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	strcpy(info.name, "nat");
	rc = getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IP6T_SO_GET_INFO : IPT_SO_GET_INFO,
			&info, &len);
	err = errno;
	close(fd);
	if (rc < 0) {
		errno = err;
		return -1;
	}
	return info.num_entries > NAT_BUILTIN_ENTRIES ? (long)(info.num_entries - NAT_BUILTIN_ENTRIES) : 0;
}
