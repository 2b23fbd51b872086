/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole-file writes that are atomic and refuse symlinks; whole-file reads. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/afile.h"
#include "lib/util.h"

/* See afile.h; the directory is fsynced too so the rename survives a crash. */
int nsh_file_write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = NULL, *dcopy = NULL;
	struct stat st;
	size_t off = 0;
	int fd = -1, dfd, e;

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
	} else if (errno != ENOENT) {
		return -1;
	}
	tmp = nsh_xmalloc(strlen(path) + 32);
	sprintf(tmp, "%s.natsh-%d.tmp", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto err;
	if (fchmod(fd, mode) < 0)
		goto err;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto err;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto err;
	}
	fd = -1;
	/* checked again just before: a symlink planted meanwhile is refused, not followed */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		goto err;
	}
	if (rename(tmp, path) < 0)
		goto err;
	dcopy = nsh_xstrdup(path);
	dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dcopy);
	free(tmp);
	return 0;
err:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = e;
	return -1;
}

/* Up to max bytes; EFBIG beyond. */
char *nsh_file_read(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *s = NULL;
	size_t n = 0, cap = 0, r;
	struct stat st;
	int e = 0;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode))
			e = EISDIR;
		else if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
			e = EFBIG;
	}
	while (!e) {
		if (n == cap) {
			if (cap > max) {
				e = EFBIG;
				break;
			}
			/* never more than max + 1 bytes: /dev/zero stops at the limit */
			cap = cap ? 2 * cap : 65536;
			if (cap > max + 1)
				cap = max + 1;
			s = nsh_xrealloc(s, cap + 1);
		}
		r = fread(s + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f))
				e = errno ? errno : EIO;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (e) {
		free(s);
		errno = e;
		return NULL;
	}
	if (!s)
		s = nsh_xmalloc(1);
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}
