/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kernel knobs NAT depends on, read and written under /proc/sys/net of
 * the current network namespace.  Only keys under "net." are accepted.
 * Keys use sysctl's dotted form; a dot inside an interface name is written
 * '/' (net.ipv4.conf.eth0/100.route_localnet), as sysctl(8) does.
 */
#ifndef NSH_SYSCTL_H
#define NSH_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

/* A knob natsh knows; "IF" in key stands for each interface. */
struct nsh_sysctl_def {
	const char *key;
	const char *help;
	int max;		/* takes one number 0..max (1: a switch); -1: what the kernel takes */
};

extern const struct nsh_sysctl_def nsh_sysctl_knobs[];	/* NULL-key terminated */

/* The knob a key is (net.ipv4.conf.eth0.rp_filter is net.ipv4.conf.IF.rp_filter), or NULL. */
const struct nsh_sysctl_def *nsh_sysctl_def_find(const char *key);

/*
 * Check a key: under net., only [A-Za-z0-9_./-] with no empty component.
 * -1 + err (offsets from off) when not.
 */
int nsh_sysctl_check(const char *key, size_t off, struct nsh_err *err);

/* /proc/sys path of key into path (len bytes); -1 + EINVAL on a bad key. */
int nsh_sysctl_path(const char *key, char *path, size_t len);

/* Read a value (trailing newline removed); -1 + errno (ENOENT: no such key). */
int nsh_sysctl_read(const char *key, char *val, size_t len);

/* Write a value; -1 + errno (ENOENT, EACCES, EINVAL from the kernel). */
int nsh_sysctl_write(const char *key, const char *val);

/*
 * The keys natsh shows: every knob, with "IF" expanded to each directory
 * under /proc/sys/net/ipv4/conf (all, default, each interface).  Calls fn
 * for each key that exists in this namespace.
 */
void nsh_sysctl_each(void (*fn)(void *arg, const char *key, const char *help), void *arg);

#endif
