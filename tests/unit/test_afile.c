/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Whole-file writes (lib/afile.c): the content replaces the file at once,
 * with the mode asked for; a symlink in the way is refused and its target
 * untouched; a directory is refused; no temporary file is left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/afile.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/natsh-afile.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Files in dir besides the expected ones (temporary leftovers). */
static int count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_write_replace_mode(void **state)
{
	char path[128], *s;
	struct stat st;
	size_t len;

	snprintf(path, sizeof(path), "%s/f.nft", dir);
	assert_int_equal(nsh_file_write_atomic(path, "one\n", 4, 0644), 0);
	assert_int_equal(nsh_file_write_atomic(path, "two lines\nhere\n", 15, 0644), 0);
	s = nsh_file_read(path, 1000, &len);
	assert_non_null(s);
	assert_int_equal(len, 15);
	assert_string_equal(s, "two lines\nhere\n");
	free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(count_files(), 1);
}

static void test_refuse_symlink_and_dir(void **state)
{
	char target[128], link[128], sub[128], *s;

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	assert_int_equal(nsh_file_write_atomic(target, "keep", 4, 0600), 0);
	assert_int_equal(symlink(target, link), 0);
	errno = 0;
	assert_int_equal(nsh_file_write_atomic(link, "evil", 4, 0644), -1);
	assert_int_equal(errno, ELOOP);
	s = nsh_file_read(target, 100, NULL);
	assert_string_equal(s, "keep");
	free(s);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(nsh_file_write_atomic(sub, "x", 1, 0644), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(count_files(), 3);
}

static void test_read_limit(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/big", dir);
	assert_int_equal(nsh_file_write_atomic(path, "0123456789", 10, 0644), 0);
	assert_null(nsh_file_read(path, 5, NULL));
	assert_int_equal(errno, EFBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_replace_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_symlink_and_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
