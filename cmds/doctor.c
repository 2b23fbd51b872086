/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `doctor`: the classic NAT mistakes in the live ruleset, each with why and the fix. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmd.h"
#include "lib/util.h"
#include "model/plan/doctor.h"
#include "model/nl/legacy.h"
#include "model/nl/link.h"
#include "model/nl/sysctl.h"
#include "render/doctor.h"

/* Interfaces whose route_localnet is 1 (caller frees the array and names). */
static char **localnet_list(void)
{
	DIR *dir = opendir("/proc/sys/net/ipv4/conf");
	struct dirent *de;
	char key[300], val[16], **v = nsh_xcalloc(1, sizeof(*v));
	size_t n = 0;

	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
			continue;
		snprintf(key, sizeof(key), "net.ipv4.conf.%s.route_localnet", de->d_name);
		if (nsh_sysctl_read(key, val, sizeof(val)) < 0 || strcmp(val, "1"))
			continue;
		v = nsh_xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = nsh_xstrdup(de->d_name);
		v[n] = NULL;
	}
	if (dir)
		closedir(dir);
	return v;
}

/* Facts, analysis (model/plan/doctor.c), then the findings worded (render/doctor.c). */
static int doctor_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	struct nsh_doctor_facts f = { 0 };
	struct nsh_finding *v = NULL;
	struct nsh_links *links;
	char val[16], **ln;
	size_t n, i;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	f.ip_forward = nsh_sysctl_read("net.ipv4.ip_forward", val, sizeof(val)) == 0 &&
		       !strcmp(val, "1");
	f.ip6_forward = nsh_sysctl_read("net.ipv6.conf.all.forwarding", val, sizeof(val)) == 0 &&
			!strcmp(val, "1");
	links = nsh_links_dump();
	f.links = links;
	ln = localnet_list();
	f.route_localnet = (const char *const *)ln;
	f.legacy_nat = nsh_legacy_nat_rules(NSH_FAM_IP) != 0;
	n = nsh_doctor_run(ctx->cache, &f, &v);

	nsh_doctor_render(ctx->out, v, n);

	for (i = 0; ln[i]; i++)
		free(ln[i]);
	free(ln);
	nsh_links_free(links);
	free(v);
	return n ? NSH_FAIL : NSH_OK;
}

static const char *const doctor_examples[] = { "doctor", "natsh -j doctor", NULL };

const struct nsh_cmd nsh_cmd_doctor = {
	.name = "doctor",
	.group = NSH_GRP_SAFETY,
	.summary = "find the classic NAT mistakes and say how to fix each",
	.description =
		"Inspects the live NAT ruleset, the sysctls, interfaces and routes.  Per\n"
		"finding: what is wrong, why it matters and the natsh command that fixes\n"
		"it (a fix of several parts: each with its reason).  Checks: ip_forward\n"
		"or IPv6 forwarding off while NAT rules forward; a port forward\n"
		"without router access (output DNAT, local-source masquerade,\n"
		"route_localnet); an output DNAT of ::1 (IPv6 has no route_localnet);\n"
		"a forward limited to the WAN interface or without hairpin masquerade\n"
		"(hairpin NAT); chained random probabilities (iptables statistic)\n"
		"that do not split evenly, with the corrected values; a rule that can\n"
		"never match because an earlier rule catches everything it would;\n"
		"SNAT/MASQUERADE on an interface without\n"
		"address or route; DNAT to an address in no connected subnet;\n"
		"iptables-legacy NAT rules beside nf_tables; rules of natsh's table\n"
		"without counters.  Exit status 1 when a problem was found (for\n"
		"monitoring: natsh -j doctor).",
	.examples = doctor_examples,
	.needs_nl = true,
	.exec = doctor_exec,
};
