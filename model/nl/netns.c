/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entering a named network namespace, as `ip -n NAME` does. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/nl/nl.h"

/* setns() into /run/netns/NAME; the name may not escape that directory. */
int nsh_netns_enter(const char *name)
{
	char path[4096];
	int fd, ret;

	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "/run/netns/%s", name) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	if (ret < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}
