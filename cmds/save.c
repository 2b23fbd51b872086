/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `save [FILE]`, `save --sysctl FILE`: natsh's table as an nft script, its sysctls as sysctl.d. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		"Writes natsh's table (inet natsh) as nft lists it, preceded by\n"
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
