/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The iptables option table completion offers (model/ipt_opts.c) says only
 * what the translator (model/ipt.c) accepts: every option, with its sample
 * argument and whatever it needs before it (-p/-m MODULE, -j TARGET), and
 * every value of the value lists, makes a line that nsh_ipt_parse and
 * nsh_ipt_rule take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/syntax/ipt.h"
#include "model/syntax/ipt_opts.h"
#include "model/model.h"

/* Does the translator take this line (words split at blanks)? Prints why not. */
static bool takes(const char *line)
{
	struct nsh_ipt_word w[32];
	char buf[512], *p, *save = NULL;
	struct nsh_err err = { 0 };
	struct nsh_ipt c;
	struct nsh_rule r = { 0 };
	size_t n = 0;
	bool ok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok_r(buf, " ", &save); p && n < 32; p = strtok_r(NULL, " ", &save)) {
		w[n].s = p;
		w[n].off = (size_t)(p - buf);
		w[n].len = strlen(p);
		n++;
	}
	memset(&c, 0, sizeof(c));
	ok = nsh_ipt_parse(w, n, NSH_FAM_INET, &c, &err) == 0 &&
	     (!c.has_rule || nsh_ipt_rule(&c, NSH_FAM_INET, &r, &err) == 0);
	if (!ok)
		print_error("\"%s\": %s\n", line, err.msg);
	nsh_rule_clear(&r);
	nsh_ipt_clear(&c);
	nsh_err_clear(&err);
	return ok;
}

/* A line that uses option o: its module or target first, its sample after. */
static void line_for(const struct nsh_ipt_opt *o, char *buf, size_t len)
{
	char pre[128] = "", post[128] = "", tgt[32] = "";
	const char *bar;

	if (o->module && (!strcmp(o->module, "tcp") || !strcmp(o->module, "udp")))
		snprintf(pre, sizeof(pre), "-p %s ", o->module);
	else if (o->module)	/* multiport needs a protocol too */
		snprintf(pre, sizeof(pre), "%s-m %s ", !strcmp(o->module, "multiport") ? "-p tcp " : "",
			 o->module);
	if (!strcmp(o->name, "--probability"))
		strcat(pre, "--mode random ");
	if (!strcmp(o->name, "--every")) {
		strcat(pre, "--mode nth ");
		strcpy(post, " --packet 0");
	}
	if (!strcmp(o->name, "--packet"))
		strcat(pre, "--mode nth --every 3 ");
	if (!strcmp(o->name, "--mode"))
		strcpy(post, " --probability 0.5");
	if (o->target) {
		bar = strchr(o->target, '|');
		snprintf(tgt, sizeof(tgt), "%.*s", bar ? (int)(bar - o->target) : (int)strlen(o->target),
			 o->target);
		snprintf(buf, len, "iptables -t nat -A %s -p tcp -j %s %s%s%s%s",
			 !strcmp(tgt, "SNAT") || !strcmp(tgt, "MASQUERADE") ? "POSTROUTING" : "PREROUTING",
			 tgt, !strcmp(tgt, "SNAT") && strcmp(o->name, "--to-source") ?
			 "--to-source 198.51.100.1 " : !strcmp(tgt, "DNAT") &&
			 strcmp(o->name, "--to-destination") ? "--to-destination 192.0.2.10 " : "",
			 o->name, o->sample ? " " : "", o->sample ? o->sample : "");
		return;
	}
	if (!strcmp(o->name, "-t") || o->arg == NSH_IPT_A_CHAIN_OPT)
		snprintf(buf, len, "iptables -t nat %s", !strcmp(o->name, "-t") ? "-A PREROUTING -j ACCEPT" : o->name);
	else if (o->arg == NSH_IPT_A_CHAIN)
		snprintf(buf, len, "iptables -t nat %s %s%s -j ACCEPT", o->name, o->sample,
			 !strcmp(o->name, "-R") ? " 1" : "");
	else if (!strcmp(o->name, "-j"))
		snprintf(buf, len, "iptables -t nat -A PREROUTING -j %s", o->sample);
	else
		snprintf(buf, len, "iptables -t nat -A PREROUTING %s%s %s%s -j ACCEPT", pre, o->name,
			 o->sample, post);
}

static void test_every_option_is_taken(void **state)
{
	const struct nsh_ipt_opt *o;
	char line[256];
	size_t bad = 0, n = 0;

	for (o = nsh_ipt_opts; o->name; o++, n++) {
		if (o->hidden)
			continue;
		line_for(o, line, sizeof(line));
		if (!takes(line))
			bad++;
	}
	assert_true(n >= 30);
	if (bad)
		fail_msg("%zu of %zu options refused", bad, n);
}

static void test_every_value_is_taken(void **state)
{
	const struct nsh_ipt_val *v;
	char line[256];
	size_t bad = 0;

	for (v = nsh_ipt_vals; v->word; v++) {
		switch (v->arg) {
		case NSH_IPT_A_CHAIN:
			snprintf(line, sizeof(line), "iptables -t nat -A %s -j ACCEPT", v->word);
			break;
		case NSH_IPT_A_PROTO:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -p %s -j ACCEPT", v->word);
			break;
		case NSH_IPT_A_ADDRTYPE:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -m addrtype --dst-type %s -j ACCEPT",
				 v->word);
			break;
		case NSH_IPT_A_CTSTATE:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -m conntrack --ctstate %s -j ACCEPT",
				 v->word);
			break;
		case NSH_IPT_A_CTSTATUS:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -m conntrack --ctstatus %s -j ACCEPT",
				 v->word);
			break;
		case NSH_IPT_A_CTDIR:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -m conntrack --ctdir %s -j ACCEPT",
				 v->word);
			break;
		case NSH_IPT_A_TARGET:
			snprintf(line, sizeof(line), "iptables -t nat -A %s -p tcp -j %s%s",
				 !strcmp(v->word, "SNAT") || !strcmp(v->word, "MASQUERADE") ? "POSTROUTING" : "PREROUTING",
				 v->word, !strcmp(v->word, "SNAT") ? " --to-source 198.51.100.1" :
				 !strcmp(v->word, "DNAT") ? " --to-destination 192.0.2.10" : "");
			break;
		case NSH_IPT_A_MATCH: {
			const struct nsh_ipt_opt *o;

			if (!strcmp(v->word, "tcp") || !strcmp(v->word, "udp")) {
				snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -p %s -m %s "
					 "--dport 80 -j ACCEPT", v->word, v->word);
				break;
			}
			for (o = nsh_ipt_opts; o->name; o++)
				if (!o->hidden && o->module && !strcmp(o->module, v->word))
					break;
			if (!o->name)
				fail_msg("module %s: no option of the table belongs to it", v->word);
			line_for(o, line, sizeof(line));
			if (!strstr(line, v->word))
				fail_msg("module %s: \"%s\" does not load it", v->word, line);
			break;
		}
		case NSH_IPT_A_MODE:
			snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -m statistic --mode %s %s "
				 "-j ACCEPT", v->word, !strcmp(v->word, "nth") ? "--every 2 --packet 0" :
				 "--probability 0.5");
			break;
		default:
			continue;	/* the table: -t's sample */
		}
		if (!takes(line))
			bad++;
	}
	if (bad)
		fail_msg("%zu values refused", bad);
}

/* The translator's error for a line, or "" when it takes it. */
static void error_of(const char *line, char *msg, size_t len)
{
	struct nsh_ipt_word w[32];
	char buf[512], *p, *save = NULL;
	struct nsh_err err = { 0 };
	struct nsh_ipt c;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok_r(buf, " ", &save); p && n < 32; p = strtok_r(NULL, " ", &save)) {
		w[n].s = p;
		w[n].off = (size_t)(p - buf);
		w[n].len = strlen(p);
		n++;
	}
	memset(&c, 0, sizeof(c));
	msg[0] = '\0';
	if (nsh_ipt_parse(w, n, NSH_FAM_INET, &c, &err) < 0)
		snprintf(msg, len, "%s", err.msg);
	nsh_ipt_clear(&c);
	nsh_err_clear(&err);
}

/*
 * The table is where the translator knows an option: every name and alias
 * finds its entry; an option not in it is unknown; the hidden ones are
 * known (refused with their reason, or -w a no-op); "!" follows no_neg.
 */
static void test_table_drives_translator(void **state)
{
	static const struct { const char *line, *want; } cases[] = {
		{ "iptables -t nat -A PREROUTING --bogus -j ACCEPT", "unknown or unsupported iptables option \"--bogus\"" },
		{ "iptables -t nat -A PREROUTING --source 192.0.2.1 -j ACCEPT", "" },
		{ "iptables -t nat -A PREROUTING --src 192.0.2.1 -j ACCEPT", "" },
		{ "iptables --table nat --append PREROUTING --jump ACCEPT", "" },
		{ "iptables -t nat -w -A PREROUTING -j ACCEPT", "" },
		{ "iptables -t nat --wait -A PREROUTING -j ACCEPT", "" },
		{ "iptables -t nat -A PREROUTING -g X", "-g (goto) is not supported" },
		{ "iptables -t nat -A PREROUTING --goto X", "-g (goto) is not supported" },
		{ "iptables -t nat -A PREROUTING -p tcp -m multiport --ports 80 -j ACCEPT", "use --sports or --dports" },
		{ "iptables -t nat -A PREROUTING -m mark --mark 1 -j ACCEPT", "" },
		{ "iptables -t nat -A PREROUTING -m connmark --mark 1 -j ACCEPT", "" },
		{ "iptables -t nat -A PREROUTING --fragment -j ACCEPT", "--fragment: not supported yet" },
		{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 3 --packet 1 -j ACCEPT", "" },
		{ "iptables -t nat -A PREROUTING -m statistic ! --mode nth --every 3 -j ACCEPT", "cannot be inverted" },
		{ "iptables -t nat -A PREROUTING -m statistic --mode nth --every 3 ! --packet 1 -j ACCEPT", "cannot be inverted" },
		{ "iptables -t nat -A PREROUTING -m statistic --mode nth ! --every 3 --packet 0 -j ACCEPT", "" },
		{ "iptables -t nat -A POSTROUTING -p tcp -j MASQUERADE --to 1024-2000", "" },
	};
	const struct nsh_ipt_opt *o;
	const char *p, *bar;
	char msg[512], name[64];
	size_t i, bad = 0;

	for (o = nsh_ipt_opts; o->name; o++) {
		assert_int_equal(nsh_ipt_opt_find(o->name)->id, o->id);
		for (p = o->aliases; p; p = bar ? bar + 1 : NULL) {
			bar = strchr(p, '|');
			snprintf(name, sizeof(name), "%.*s", bar ? (int)(bar - p) : (int)strlen(p), p);
			assert_non_null(nsh_ipt_opt_find(name));
			assert_int_equal(nsh_ipt_opt_find(name)->id, o->id);
		}
	}
	assert_null(nsh_ipt_opt_find("--sour"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error_of(cases[i].line, msg, sizeof(msg));
		if (cases[i].want[0] ? !strstr(msg, cases[i].want) : msg[0] != '\0') {
			print_error("\"%s\": got \"%s\", want \"%s\"\n", cases[i].line, msg, cases[i].want);
			bad++;
		}
	}
	if (bad)
		fail_msg("%zu cases failed", bad);
}

/*
 * Every option the table holds as pending (its nft form needs a key or a
 * bitwise natsh does not have yet) is refused with "OPTION: not supported
 * yet" and the table's reason, whether its module loads or not.
 */
static void test_pending_are_refused(void **state)
{
	const struct nsh_ipt_opt *o;
	char line[256], msg[512];
	size_t bad = 0, n = 0;

	for (o = nsh_ipt_opts; o->name; o++) {
		if (o->id != NSH_IPT_O_PENDING)
			continue;
		n++;
		snprintf(line, sizeof(line), "iptables -t nat -A PREROUTING -p tcp %s%s %s 1 -j ACCEPT",
			 o->module && strcmp(o->module, "tcp") ? "-m " : "",
			 o->module && strcmp(o->module, "tcp") ? o->module : "", o->name);
		error_of(line, msg, sizeof(msg));
		if (!strstr(msg, "not supported yet") || !strstr(msg, o->help) ||
		    !strstr(msg, !strcmp(o->module ? o->module : "", "mac") ? "-m mac" : o->name)) {
			print_error("\"%s\": got \"%s\"\n", line, msg);
			bad++;
		}
	}
	assert_true(n >= 15);
	if (bad)
		fail_msg("%zu pending options not refused as such", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_option_is_taken),
		cmocka_unit_test(test_every_value_is_taken),
		cmocka_unit_test(test_table_drives_translator),
		cmocka_unit_test(test_pending_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
