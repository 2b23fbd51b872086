/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NAT-related sysctls under /proc/sys/net (see sysctl.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/nl/sysctl.h"

const struct nsh_sysctl_def nsh_sysctl_knobs[] = {
	{ "net.ipv4.ip_forward", "forward IPv4 packets between interfaces (a router needs it)", 1 },
	{ "net.ipv6.conf.all.forwarding", "forward IPv6 packets between interfaces", 1 },
	{ "net.ipv4.conf.IF.route_localnet", "route 127.0.0.0/8 sources/destinations (router access via 127.0.0.1)", 1 },
	{ "net.ipv4.conf.IF.rp_filter", "reverse path filter (0 off, 1 strict, 2 loose)", 2 },
	{ "net.netfilter.nf_conntrack_acct", "count packets and bytes per conntrack entry", 1 },
	{ "net.netfilter.nf_conntrack_max", "maximum number of conntrack entries", -1 },
	{ "net.netfilter.nf_conntrack_count", "current number of conntrack entries (read-only)", -1 },
	{ "net.netfilter.nf_conntrack_tcp_timeout_established", "seconds an idle established TCP entry lives", -1 },
	{ "net.netfilter.nf_conntrack_udp_timeout_stream", "seconds an idle UDP stream entry lives", -1 },
	{ "net.ipv4.ip_local_port_range", "ports used for local connections (and masquerade)", -1 },
	{ NULL, NULL, -1 },
};

/* Does key fit pattern, where "IF" stands for one path component (an interface)? */
static bool key_fits(const char *pat, const char *key)
{
	const char *p = strstr(pat, ".IF.");
	size_t pre, n;

	if (!p)
		return strcmp(pat, key) == 0;
	pre = (size_t)(p - pat) + 1;
	if (strncmp(pat, key, pre))
		return false;
	n = strcspn(key + pre, ".");
	return n && key[pre + n] == '.' && strcmp(key + pre + n, p + 3) == 0;
}

const struct nsh_sysctl_def *nsh_sysctl_def_find(const char *key)
{
	const struct nsh_sysctl_def *k;

	for (k = nsh_sysctl_knobs; k->key; k++)
		if (key_fits(k->key, key))
			return k;
	return NULL;
}

/* A key's text decides a path under /proc/sys: refuse anything that could leave net/. */
int nsh_sysctl_check(const char *key, size_t off, struct nsh_err *err)
{
	size_t i, n = strlen(key);

	if (strncmp(key, "net.", 4) || n == 4) {
		nsh_err_set(err, off, n, "invalid sysctl key \"%s\": natsh handles keys under net. only", key);
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = key[i];

		if (!isalnum(c) && c != '_' && c != '.' && c != '-' && c != '/') {
			nsh_err_set(err, off + i, 1, "invalid sysctl key \"%s\": bad character '%c'", key, c);
			return -1;
		}
		if ((c == '.' || c == '/') && (i + 1 == n || key[i + 1] == '.' || key[i + 1] == '/' ||
					       (i && (key[i - 1] == '.' || key[i - 1] == '/')))) {
			nsh_err_set(err, off + i, 1, "invalid sysctl key \"%s\": empty component", key);
			return -1;
		}
	}
	if (strstr(key, "/..") || strstr(key, "../") || strstr(key, "/.")) {
		nsh_err_set(err, off, n, "invalid sysctl key \"%s\"", key);
		return -1;
	}
	return 0;
}

int nsh_sysctl_path(const char *key, char *path, size_t len)
{
	size_t i, n;

	if (nsh_sysctl_check(key, 0, NULL) < 0 || strlen(key) + 11 > len) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(path, len, "/proc/sys/");
	for (i = 0; key[i]; i++)
		path[n + i] = key[i] == '.' ? '/' : key[i] == '/' ? '.' : key[i];
	path[n + i] = 0;
	return 0;
}

int nsh_sysctl_read(const char *key, char *val, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	if (nsh_sysctl_path(key, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, val, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == ' '))
		n--;
	val[n] = 0;
	for (ssize_t i = 0; i < n; i++)	/* multi-value knobs: tabs as spaces */
		if (val[i] == '\t')
			val[i] = ' ';
	return 0;
}

int nsh_sysctl_write(const char *key, const char *val)
{
	char path[512];
	size_t n = strlen(val);
	ssize_t w;
	int fd, saved;

	if (nsh_sysctl_path(key, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	w = write(fd, val, n);
	saved = errno;
	close(fd);
	if (w < 0 || (size_t)w != n) {
		errno = w < 0 ? saved : EIO;
		return -1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names under /proc/sys/net/ipv4/conf: all, default, then interfaces sorted. */
static size_t conf_names(char ***out)
{
	DIR *d = opendir("/proc/sys/net/ipv4/conf");
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char **nv;

		if (e->d_name[0] == '.')
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n] = strdup(e->d_name);
		if (v[n])
			n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

static void each_expanded(const struct nsh_sysctl_def *k, char **names, size_t nnames,
			  void (*fn)(void *, const char *, const char *), void *arg)
{
	static const char *const first[] = { "all", "default" };
	const char *at = strstr(k->key, ".IF.");
	char key[256], val[8];
	size_t i, j;

	for (i = 0; i < 2 + nnames; i++) {
		const char *ifn = i < 2 ? first[i] : names[i - 2];
		char esc[64];

		if (i >= 2 && (!strcmp(ifn, "all") || !strcmp(ifn, "default")))
			continue;
		for (j = 0; ifn[j] && j < sizeof(esc) - 1; j++)
			esc[j] = ifn[j] == '.' ? '/' : ifn[j];
		esc[j] = 0;
		snprintf(key, sizeof(key), "%.*s.%s%s", (int)(at - k->key), k->key, esc, at + 3);
		if (nsh_sysctl_read(key, val, sizeof(val)) == 0)
			fn(arg, key, k->help);
	}
}

void nsh_sysctl_each(void (*fn)(void *arg, const char *key, const char *help), void *arg)
{
	const struct nsh_sysctl_def *k;
	char **names, val[64];
	size_t i, n = conf_names(&names);

	for (k = nsh_sysctl_knobs; k->key; k++) {
		if (strstr(k->key, ".IF."))
			each_expanded(k, names, n, fn, arg);
		else if (nsh_sysctl_read(k->key, val, sizeof(val)) == 0)
			fn(arg, k->key, k->help);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
