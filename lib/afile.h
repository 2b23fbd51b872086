/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing a whole file safely: never half-written, never through a symlink. */
#ifndef NSH_AFILE_H
#define NSH_AFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write data to path atomically: a temporary file in the same directory
 * (O_EXCL|O_NOFOLLOW), fsync, rename over path, fsync of the directory.
 * Refused with ELOOP when path is a symlink, EISDIR when a directory.
 * -1 + errno on failure (the temporary file is removed).
 */
int nsh_file_write_atomic(const char *path, const char *data, size_t len, mode_t mode);

/*
 * Read a whole file ("-": stdin) of at most max bytes (caller frees,
 * NUL-terminated); NULL + errno: EFBIG past max (reading no more than
 * max + 1 bytes), EISDIR for a directory.
 */
char *nsh_file_read(const char *path, size_t max, size_t *len);

#endif
