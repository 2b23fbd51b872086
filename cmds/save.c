/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `save [FILE]`, `save --sysctl FILE`: natsh's table as an nft script, its sysctls as sysctl.d. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/netfilter/nf_tables.h>

#include "cmds/cmd.h"
#include "lib/afile.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/model.h"
#include "model/nl/sysctl.h"
#include "model/txn/txn.h"
#include "render/out.h"
#include "render/ipt_export.h"
#include "render/save.h"

struct relied {
	size_t n;
	struct nsh_save_sysctl v[64];
	char keys[64][160];
};

/* A knob that is on and that NAT rules need on. */
static void relied_add(struct relied *r, const char *key)
{
	char val[32];

	if (r->n == NSH_ARRAY_SIZE(r->v) || nsh_sysctl_read(key, val, sizeof(val)) < 0 ||
	    strcmp(val, "1"))
		return;
	snprintf(r->keys[r->n], sizeof(r->keys[0]), "%s", key);
	r->v[r->n].key = r->keys[r->n];
	r->v[r->n].val = "1";
	r->n++;
}

/* ip_forward (when there are rules) and every route_localnet that is on. */
static void relied_collect(const struct nsh_table *t, struct relied *r)
{
	DIR *d = opendir("/proc/sys/net/ipv4/conf");
	struct dirent *de;
	size_t ci, n = 0;
	char key[300];

	for (ci = 0; ci < t->nchains; ci++)
		n += t->chains[ci].nrules;
	if (n)
		relied_add(r, "net.ipv4.ip_forward");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
			continue;
		snprintf(key, sizeof(key), "net.ipv4.conf.%s.route_localnet", de->d_name);
		relied_add(r, key);
	}
	if (d)
		closedir(d);
}

/* Write to FILE atomically (0644, never through a symlink), or print. */
static int emit(struct nsh_ctx *ctx, const struct nsh_tok *file, const struct nsh_buf *b)
{
	if (!file || !strcmp(file->s, "-")) {
		fputs(b->s, stdout);
		fflush(stdout);
		return NSH_OK;
	}
	if (ctx->check)
		return NSH_OK;
	if (nsh_file_write_atomic(file->s, b->s, b->len, 0644) < 0) {
		nsh_error_at(ctx, file, "cannot write %s: %s", file->s,
			     errno == ELOOP ? "it is a symbolic link (natsh does not write through one)"
					    : strerror(errno));
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* iptables-restore input (render/ipt_export.c); each rule left out is named, on stderr. */
static int ipt_render(struct nsh_ctx *ctx, const struct nsh_table *t, int family,
		      struct nsh_buf *b)
{
	struct nsh_ipt_skip *skips = NULL;
	size_t nskips = 0, i;

	nsh_ipt_export(t, family, b, &skips, &nskips);
	for (i = 0; i < nskips; i++)
		nsh_warn(ctx, "%s rule %u (handle %llu) left out: %s", skips[i].chain,
			 skips[i].position, (unsigned long long)skips[i].handle, skips[i].why);
	free(skips);
	return NSH_OK;
}

/*
 * Rules natsh does not understand: saved as nft lists them, with a warning;
 * refused when nft's text could not be read (natsh's raw text would not
 * restore them).
 */
static int opaque_check(struct nsh_ctx *ctx, const struct nsh_table *t)
{
	size_t ci, ri;
	int rc = NSH_OK;

	for (ci = 0; ci < t->nchains; ci++)
		for (ri = 0; ri < t->chains[ci].nrules; ri++) {
			const struct nsh_rule *r = &t->chains[ci].rules[ri];

			if (!r->opaque)
				continue;
			if (r->nft_text) {
				nsh_warn(ctx, "%s rule %u (handle %llu) is not understood by natsh: "
					 "saved as nft lists it (nft -f loads it, natsh load may "
					 "refuse it)", t->chains[ci].name, r->position,
					 (unsigned long long)r->handle);
				continue;
			}
			nsh_error(ctx, "%s rule %u (handle %llu) is not understood by natsh and "
				  "nft's text of it could not be read: nothing saved",
				  t->chains[ci].name, r->position, (unsigned long long)r->handle);
			rc = NSH_FAIL;
		}
	return rc;
}

/* The live table as nft lists it; nothing written when it does not exist. */
static int save_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *file = nsh_args_get(args, "FILE");
	bool sys_only = nsh_args_has(args, "--sysctl");
	int ipt = nsh_args_has(args, "--iptables") ? NSH_FAM_IP :
		  nsh_args_has(args, "--ip6tables") ? NSH_FAM_IP6 : 0;
	struct relied r = { 0 };
	const struct nsh_table *t;
	char when[64];
	struct nsh_buf b;
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	t = nsh_ruleset_find_table(ctx->cache, NSH_OWN_FAMILY, NSH_OWN_TABLE);
	if (!t) {
		nsh_error_at(ctx, &args->toks[0], "natsh's table %s %s does not exist: nothing to "
			     "save", nsh_family_name(NSH_OWN_FAMILY), NSH_OWN_TABLE);
		return NSH_FAIL;
	}
	if (!ipt && !sys_only && nsh_save_unwritable(t)) {
		const struct nsh_nset *s = nsh_save_unwritable(t);

		nsh_error_at(ctx, &args->toks[0], "%s %s of table %s %s has a %s natsh cannot "
			     "write (key type 0x%x, data type 0x%x): nothing saved; use nft list "
			     "table instead", (s->flags & NFT_SET_MAP) ? "map" : "set", s->name,
			     nsh_family_name(t->family), t->name, "datatype or expression",
			     s->key_wire, s->data_wire);
		return NSH_FAIL;
	}
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm));
	relied_collect(t, &r);
	nsh_buf_init(&b);
	if (ipt) {
		if (ipt_render(ctx, t, ipt, &b) != NSH_OK) {
			nsh_buf_free(&b);
			return NSH_FAIL;
		}
	} else if (sys_only) {
		nsh_save_render_sysctl(r.v, r.n, when, &b);
	} else {
		if (opaque_check(ctx, t) != NSH_OK) {
			nsh_buf_free(&b);
			return NSH_FAIL;
		}
		nsh_save_render(t, r.v, r.n, when, &b);
	}
	rc = emit(ctx, file, &b);
	if (rc == NSH_OK && file && strcmp(file->s, "-") && !ctx->check)
		nsh_out_text(ctx->out, "saved %s to %s\n", sys_only ? "the sysctls" :
			     ipt == NSH_FAM_IP ? "table inet natsh as iptables-restore input" :
			     ipt ? "table inet natsh as ip6tables-restore input" : "table inet natsh",
			     file->s);
	nsh_buf_free(&b);
	return rc;
}

static const struct nsh_gram *const save_args = NSH_ALT(
	NSH_SEQ(NSH_WORD("--sysctl", "write the sysctls the rules rely on, as a sysctl.d file"),
		NSH_VAL("FILE", NSH_VK_FILE, "the file to write (replaced atomically)")),
	NSH_SEQ(NSH_WORD("--iptables", "write the IPv4 rules as iptables-restore input"),
		NSH_OPT(NSH_VAL("FILE", NSH_VK_FILE, "the file to write; - or none: stdout"))),
	NSH_SEQ(NSH_WORD("--ip6tables", "write the IPv6 rules as ip6tables-restore input"),
		NSH_OPT(NSH_VAL("FILE", NSH_VK_FILE, "the file to write; - or none: stdout"))),
	NSH_OPT(NSH_VAL("FILE", NSH_VK_FILE, "the file to write (replaced atomically); - or none: stdout")));

static const char *const save_examples[] = {
	"save /etc/nftables.d/natsh.nft",
	"save --sysctl /etc/sysctl.d/90-natsh.conf",
	"save --iptables /etc/iptables/rules.v4",
	"save",
	NULL
};

const struct nsh_cmd nsh_cmd_save = {
	.name = "save",
	.group = NSH_GRP_SAFETY,
	.summary = "write natsh's table as an nft -f script (or its sysctls)",
	.args = save_args,
	.description =
		"Writes natsh's table (inet natsh) as nft lists it (named sets and maps,\n"
		"with their elements but no \"expires\", and every chain), preceded by\n"
		"\"table inet natsh\" and \"delete table inet natsh\" so that loading it\n"
		"with nft -f (e.g. included from /etc/nftables.conf) or natsh load replaces\n"
		"the table, and by a comment block naming the sysctls the rules rely on\n"
		"(ip_forward, route_localnet ... that are on).  Counter values are not\n"
		"saved.  --sysctl FILE writes those sysctls as a sysctl.d file instead;\n"
		"--iptables [FILE] (--ip6tables) the rules as iptables-restore input,\n"
		"naming on stderr each rule iptables cannot express.\n"
		"Files are replaced atomically (temporary file, fsync, rename), mode 0644;\n"
		"a symbolic link in the way is refused, never written through.",
	.examples = save_examples,
	.needs_nl = true,
	.exec = save_exec,
};

/*
 * `persist [--root DIR]`, `persist --remove [--root DIR]`: the boot path.
 * The table goes where the shipped natsh.service loads it from, the sysctls
 * where systemd-sysctl (and procps' sysctl --system) read them at boot.
 */
#define NSH_PERSIST_DIR		"/etc/natsh"
#define NSH_PERSIST_NFT		NSH_PERSIST_DIR "/natsh.nft"
#define NSH_PERSIST_SYSCTL	"/etc/sysctl.d/60-natsh.conf"

/* ROOT + path into out; ROOT "" or "/" is the system itself. */
static void rooted(const char *root, const char *path, char *out, size_t n)
{
	size_t rl = root ? strlen(root) : 0;

	while (rl && root[rl - 1] == '/')
		rl--;
	snprintf(out, n, "%.*s%s", (int)rl, root ? root : "", path);
}

/* mkdir DIR (0755) when missing; its parent must exist. */
static int mkdir_one(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	return -1;
}

static int persist_write(struct nsh_ctx *ctx, const struct nsh_tok *at, const char *path,
			 const struct nsh_buf *b)
{
	if (nsh_file_write_atomic(path, b->s, b->len, 0644) < 0) {
		nsh_error_at(ctx, at, "cannot write %s: %s", path,
			     errno == ELOOP ? "it is a symbolic link (natsh does not write through one)"
					    : strerror(errno));
		return NSH_FAIL;
	}
	return NSH_OK;
}

/* Remove what persist wrote (and /etc/natsh when it is left empty). */
static int persist_remove(struct nsh_ctx *ctx, const struct nsh_tok *at, const char *root)
{
	const char *paths[] = { NSH_PERSIST_NFT, NSH_PERSIST_SYSCTL };
	char p[4096];
	size_t i;
	int rc = NSH_OK;

	for (i = 0; i < NSH_ARRAY_SIZE(paths); i++) {
		rooted(root, paths[i], p, sizeof(p));
		if (ctx->check) {
			nsh_out_text(ctx->out, "would remove %s\n", p);
			continue;
		}
		if (unlink(p) == 0)
			nsh_out_text(ctx->out, "removed %s\n", p);
		else if (errno == ENOENT)
			nsh_out_text(ctx->out, "%s: not there\n", p);
		else {
			nsh_error_at(ctx, at, "cannot remove %s: %s", p, strerror(errno));
			rc = NSH_FAIL;
		}
	}
	rooted(root, NSH_PERSIST_DIR, p, sizeof(p));
	if (!ctx->check)
		(void)rmdir(p);	/* only when empty: anything else there is not ours */
	if (rc == NSH_OK && !ctx->check)
		nsh_out_text(ctx->out, "natsh's table will not be restored at boot "
			     "(the live table is unchanged)\n");
	return rc;
}

static int persist_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *rtok = nsh_args_get(args, "DIR");
	const char *root = rtok ? rtok->s : "";
	struct relied r = { 0 };
	const struct nsh_table *t;
	char when[64], nft[4096], sys[4096], dir[4096];
	struct nsh_buf b, s;
	time_t now = time(NULL);
	struct stat st;
	struct tm tm;
	size_t i;
	int rc;

	if (rtok && stat(root, &st) < 0) {
		nsh_error_at(ctx, rtok, "--root %s: %s", root, strerror(errno));
		return NSH_FAIL;
	}
	if (rtok && !S_ISDIR(st.st_mode)) {
		nsh_error_at(ctx, rtok, "--root %s: not a directory", root);
		return NSH_FAIL;
	}
	if (nsh_args_has(args, "--remove"))
		return persist_remove(ctx, &args->toks[0], root);
	if (nsh_ctx_refresh(ctx) != NSH_OK)
		return NSH_FAIL;
	t = nsh_ruleset_find_table(ctx->cache, NSH_OWN_FAMILY, NSH_OWN_TABLE);
	if (!t) {
		nsh_error_at(ctx, &args->toks[0], "natsh's table %s %s does not exist: nothing to "
			     "persist (persist --remove forgets a saved one)",
			     nsh_family_name(NSH_OWN_FAMILY), NSH_OWN_TABLE);
		return NSH_FAIL;
	}
	rooted(root, NSH_PERSIST_NFT, nft, sizeof(nft));
	rooted(root, NSH_PERSIST_SYSCTL, sys, sizeof(sys));
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm));
	relied_collect(t, &r);
	nsh_buf_init(&b);
	nsh_buf_init(&s);
	nsh_save_render(t, r.v, r.n, when, &b);
	nsh_buf_printf(&s, "# natsh persist, %s: the kernel settings natsh's NAT rules rely on,\n"
		       "# applied at boot by systemd-sysctl (sysctl --system); removed by\n"
		       "# natsh persist --remove.  Do not edit: natsh persist rewrites it.\n", when);
	for (i = 0; i < r.n; i++)
		nsh_buf_printf(&s, "%s = %s\n", r.v[i].key, r.v[i].val);
	rc = NSH_OK;
	if (ctx->check) {
		nsh_out_text(ctx->out, "would write %s and %s\n", nft, sys);
		goto out;
	}
	/* ROOT/etc and ROOT/etc/sysctl.d exist on a system; ROOT/etc/natsh is ours */
	rooted(root, "/etc", dir, sizeof(dir));
	if (*root && mkdir_one(dir) < 0)
		goto mkfail;
	rooted(root, "/etc/sysctl.d", dir, sizeof(dir));
	if (mkdir_one(dir) < 0)
		goto mkfail;
	rooted(root, NSH_PERSIST_DIR, dir, sizeof(dir));
	if (mkdir_one(dir) < 0)
		goto mkfail;
	/* the rules first: a table without its sysctls is visible (doctor), the reverse is not */
	rc = persist_write(ctx, &args->toks[0], nft, &b);
	if (rc == NSH_OK)
		rc = persist_write(ctx, &args->toks[0], sys, &s);
	if (rc == NSH_OK)
		nsh_out_text(ctx->out, "persisted table inet natsh to %s (natsh.service loads it at "
			     "boot) and %zu sysctl%s to %s\n", nft, r.n, r.n == 1 ? "" : "s", sys);
	goto out;
mkfail:
	nsh_error_at(ctx, &args->toks[0], "cannot create %s: %s", dir, strerror(errno));
	rc = NSH_FAIL;
out:
	nsh_buf_free(&b);
	nsh_buf_free(&s);
	return rc;
}

static const struct nsh_gram *const persist_args = NSH_OPT(NSH_ANY(
	NSH_WORD("--remove", "remove what persist wrote: nothing is restored at boot"),
	NSH_SEQ(NSH_WORD("--root", "write under DIR instead of / (an image, a test)"),
		NSH_VAL("DIR", NSH_VK_FILE, "the root directory (must exist)"))));

static const char *const persist_examples[] = {
	"persist",
	"persist --root /srv/image",
	"persist --remove",
	NULL
};

const struct nsh_cmd nsh_cmd_persist = {
	.name = "persist",
	.group = NSH_GRP_SAFETY,
	.summary = "make natsh's table and its sysctls survive a reboot",
	.args = persist_args,
	.description =
		"Writes natsh's table as save does to " NSH_PERSIST_NFT ", which the\n"
		"natsh.service unit of the Debian package loads at boot (natsh load,\n"
		"after nftables.service, before the network), and the sysctls the rules\n"
		"rely on to " NSH_PERSIST_SYSCTL ", which systemd-sysctl applies at\n"
		"boot.  Each file is replaced atomically (mode 0644, never through a\n"
		"symbolic link).  --remove deletes both (and " NSH_PERSIST_DIR " when\n"
		"empty); the live table is left alone.  --root DIR puts every path\n"
		"under DIR.  With --check nothing is written or removed.",
	.examples = persist_examples,
	.needs_nl = true,
	.exec = persist_exec,
};
