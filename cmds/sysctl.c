/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `sysctl [KEY [VALUE]]`, `sysctl KEY=VALUE`, `sysctl -w KEY=VALUE`: the
 * knobs NAT depends on.  Only keys under net. of the current namespace.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds/cmd.h"
#include "cmds/edit.h"
#include "lib/err.h"
#include "model/nl/sysctl.h"
#include "render/out.h"

/* The state of a listing. */
struct list_ctx {
	struct nsh_out *out;
	struct nsh_cols *cols;
};

/* One knob as a JSON object or a text row. */
static void list_one(void *arg, const char *key, const char *help)
{
	struct list_ctx *l = arg;
	char val[128];

	if (nsh_sysctl_read(key, val, sizeof(val)) < 0)
		return;
	if (nsh_out_json(l->out)) {
		nsh_out_obj_open(l->out, NULL);
		nsh_out_string(l->out, NSH_C_NONE, "key", NULL, key);
		nsh_out_string(l->out, NSH_C_NONE, "value", NULL, val);
		nsh_out_string(l->out, NSH_C_NONE, "help", NULL, help);
		nsh_out_obj_close(l->out);
	} else {
		const char *cells[] = { key, val, help };

		nsh_cols_add(l->cols, cells, NULL);
	}
}

/* `sysctl` alone: every knob that exists in this namespace. */
static int sysctl_list(struct nsh_ctx *ctx)
{
	static const char *const headers[] = { "KEY", "VALUE", "WHAT IT DOES" };
	struct list_ctx l = { .out = ctx->out };

	if (nsh_out_json(ctx->out)) {
		nsh_out_arr_open(ctx->out, NULL);
		nsh_sysctl_each(list_one, &l);
		nsh_out_arr_close(ctx->out);
		return NSH_OK;
	}
	l.cols = nsh_cols_new(3, headers, NULL);
	nsh_sysctl_each(list_one, &l);
	nsh_cols_print(l.cols, ctx->out);
	nsh_cols_free(l.cols);
	return NSH_OK;
}

/* Explain a failed read or write of key, pointing at tok. */
static int report(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *key,
		  const char *val, int err)
{
	if (err == ENOENT)
		nsh_error_at(ctx, tok, "unknown sysctl key \"%s\" (not in this network namespace)", key);
	else if (err == EINVAL && val)
		nsh_error_at(ctx, tok, "the kernel refused value \"%s\" for %s", val, key);
	else if (err == EACCES || err == EPERM)
		nsh_error_at(ctx, tok, "permission denied: writing %s needs root", key);
	else
		nsh_error_at(ctx, tok, "%s: %s", key, strerror(err));
	return NSH_FAIL;
}

/*
 * "KEY = VALUE (was OLD)", or {"key","old","value"}; later: the write
 * waits for the transaction's commit.
 */
static void print_value(struct nsh_ctx *ctx, const char *key, const char *old, const char *val,
			bool later)
{
	nsh_out_obj_open(ctx->out, NULL);
	nsh_out_string(ctx->out, NSH_C_NONE, "key", "%s = ", key);
	if (old)
		nsh_out_string(ctx->out, NSH_C_DIM, "old", NULL, old);
	nsh_out_string(ctx->out, NSH_C_OK, "value", "%s", val);
	if (later && old)
		nsh_out_text(ctx->out, " once the changes apply (it is %s)", old);
	else if (old && strcmp(old, val))
		nsh_out_text(ctx->out, " (was %s)", old);
	if (later)
		nsh_out_bool(ctx->out, "later", NULL, true);
	if (ctx->check && old)
		nsh_out_text(ctx->out, " (--check: not written)");
	nsh_out_text(ctx->out, "\n");
	nsh_out_obj_close(ctx->out);
}

/* Whitespace-separated integers: how many (0 when not all are integers). */
static size_t count_ints(const char *s)
{
	size_t n = 0;
	char *end;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		strtol(s, &end, 10);
		if (end == s || (*end && *end != ' ' && *end != '\t'))
			return 0;
		n++;
		s = end;
	}
}

/*
 * A write that waits for the commit cannot be refused by the kernel now:
 * refuse at least a value not shaped like the current one (a key holding
 * numbers takes as many numbers), so a typo fails the batch before anything
 * is applied.
 */
static bool value_fits(const char *old, const char *val)
{
	size_t n = count_ints(old);

	return n == 0 || count_ints(val) == n;
}

/*
 * Everything the kernel would refuse, or take without meaning, refused
 * before anything is sent (a batch's sysctls are written after its commit):
 * a read-only key; a switch set to anything but 0 or 1 (the kernel stores
 * ip_forward = 2 without a word), rp_filter past 2; a number past what the
 * kernel's integers hold; a local port range that is not LOW HIGH within
 * 1-65535.
 */
static bool value_in_domain(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *key,
			    const char *val, const char *old)
{
	const struct nsh_sysctl_def *d = nsh_sysctl_def_find(key);
	long long v[2] = { 0, 0 };
	const char *s = val;
	char path[512], *end;
	size_t n = 0;

	if (nsh_sysctl_path(key, path, sizeof(path)) == 0 && access(path, W_OK) < 0 &&
	    errno == EACCES) {
		nsh_error_at(ctx, tok, "%s is read-only", key);
		return false;
	}
	if (d && d->max >= 0) {
		if (val[0] >= '0' && val[0] <= '0' + d->max && !val[1])
			return true;
		if (d->max == 1)
			nsh_error_at(ctx, tok, "invalid value \"%s\" for %s: it takes 0 (off) or 1 (on)",
				     val, key);
		else
			nsh_error_at(ctx, tok, "invalid value \"%s\" for %s: it takes a number from 0 "
				     "to %d", val, key, d->max);
		return false;
	}
	if (!count_ints(old))
		return true;
	for (;;) {
		long long x;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		errno = 0;
		x = strtoll(s, &end, 10);
		if (errno == ERANGE || x > INT_MAX || x < INT_MIN) {
			nsh_error_at(ctx, tok, "invalid value \"%s\" for %s: %.*s is out of range (the "
				     "kernel holds numbers from %d to %d)", val, key, (int)(end - s),
				     s, INT_MIN, INT_MAX);
			return false;
		}
		if (n < 2)
			v[n] = x;
		n++;
		s = end;
	}
	if (strcmp(key, "net.ipv4.ip_local_port_range") == 0 &&
	    (n != 2 || v[0] < 1 || v[1] > 65535 || v[0] > v[1])) {
		nsh_error_at(ctx, tok, "invalid value \"%s\" for %s: it takes LOW HIGH, two ports "
			     "from 1 to 65535 with LOW <= HIGH", val, key);
		return false;
	}
	return true;
}

/* Read one key, or write it in any of the three spellings. */
static int sysctl_exec(struct nsh_ctx *ctx, const struct nsh_args *args)
{
	const struct nsh_tok *kt = nsh_args_get(args, "KEY");
	const struct nsh_tok *vt = nsh_args_get(args, "VALUE");
	const struct nsh_tok *at = nsh_args_get(args, "KEY=VALUE");
	const struct nsh_tok *tok = at ? at : kt;
	struct nsh_err err = { 0 };
	char *key, old[128], cur[128];
	const char *val = vt ? vt->s : NULL, *eq;
	size_t i;
	int rc = NSH_FAIL;

	if (!tok)
		return sysctl_list(ctx);
	eq = strchr(tok->s, '=');
	if (at && !eq) {
		nsh_error_at(ctx, at, "expected KEY=VALUE after -w, such as net.ipv4.ip_forward=1");
		return NSH_FAIL;
	}
	if (eq && vt) {
		nsh_error_at(ctx, vt, "unexpected VALUE: the value is given after '=' already");
		return NSH_FAIL;
	}
	key = eq ? strndup(tok->s, eq - tok->s) : strdup(tok->s);
	if (!key)
		return NSH_FAIL;
	if (eq)
		val = eq + 1;
	if (nsh_sysctl_check(key, 0, &err) < 0) {
		nsh_error_span(ctx, tok->off + err.off, err.len ? err.len : 1, "%s", err.msg);
		goto out;
	}
	if (nsh_sysctl_read(key, old, sizeof(old)) < 0) {
		report(ctx, tok, key, NULL, errno);
		goto out;
	}
	if (!val) {
		print_value(ctx, key, NULL, old, false);
		rc = NSH_OK;
		goto out;
	}
	for (i = 0; val[i]; i++)
		if (val[i] == '\n' || (unsigned char)val[i] < ' ')
			break;
	if (!val[0] || val[i]) {
		nsh_error_at(ctx, vt ? vt : tok, "invalid sysctl value \"%s\" for %s", val, key);
		goto out;
	}
	if (!value_in_domain(ctx, vt ? vt : tok, key, val, old))
		goto out;
	/* inside begin or a batch the write waits for the commit (nothing half done) */
	if (!ctx->check) {
		struct nsh_edit *ed = nsh_edit_get(ctx);

		if (ed->begun || ctx->batch) {
			if (!value_fits(old, val)) {
				nsh_error_at(ctx, vt ? vt : tok, "invalid value \"%s\" for %s: it takes %s "
					     "(it is %s)", val, key, count_ints(old) == 1 ? "a number" :
					     "numbers", old);
				goto out;
			}
			nsh_txn_after_sysctl(ed->txn, key, val);
			print_value(ctx, key, old, val, true);
			rc = NSH_OK;
			goto out;
		}
	}
	if (!ctx->check && nsh_sysctl_write(key, val) < 0) {
		report(ctx, vt ? vt : tok, key, val, errno);
		goto out;
	}
	if (ctx->check || nsh_sysctl_read(key, cur, sizeof(cur)) < 0)
		snprintf(cur, sizeof(cur), "%s", val);
	print_value(ctx, key, old, cur, false);
	rc = NSH_OK;
out:
	free(key);
	return rc;
}

static const char *const sysctl_examples[] = {
	"sysctl", "sysctl net.ipv4.ip_forward", "sysctl net.ipv4.ip_forward 1",
	"sysctl -w net.ipv4.conf.eth1.route_localnet=1", NULL
};

const struct nsh_cmd nsh_cmd_sysctl = {
	.name = "sysctl",
	.group = NSH_GRP_READING,
	.summary = "show or set the kernel knobs NAT depends on",
	.args = NSH_OPT(NSH_ALT(
		NSH_SEQ(NSH_WORD("-w", "write a value (as sysctl -w)"),
			NSH_VAL("KEY=VALUE", NSH_VK_SYSCTL, "key and new value, such as net.ipv4.ip_forward=1")),
		NSH_SEQ(NSH_VAL("KEY", NSH_VK_SYSCTL, "a key under net., such as net.ipv4.ip_forward (or KEY=VALUE)"),
			NSH_OPT(NSH_VAL("VALUE", NSH_VK_STRING, "the new value"))))),
	.description = "Without arguments lists the knobs NAT depends on (ip_forward, route_localnet "
		       "per interface, conntrack accounting and limits) with their values.  With KEY "
		       "prints one value; with VALUE, KEY=VALUE or -w KEY=VALUE writes it.  Only keys "
		       "under net. of the current network namespace are accepted.  Inside `begin` or a "
		       "batch (-c, -f) a write waits for the commit: a batch that fails writes "
		       "nothing; --check writes nothing.",
	.examples = sysctl_examples,
	.needs_nl = false,
	.exec = sysctl_exec,
};
