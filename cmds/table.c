/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command table: every command natsh knows, once.  Parsing, `help`,
 * completion and the man-page test all walk this list.  Add one extern and
 * one table line per command (help lists them grouped, in this order).
 * A table of its own, so that a test can link the lookup with its own table.
 */
#include "cmds/cmd.h"

extern const struct nsh_cmd nsh_cmd_show;
extern const struct nsh_cmd nsh_cmd_conntrack;
extern const struct nsh_cmd nsh_cmd_explain;
extern const struct nsh_cmd nsh_cmd_interfaces;
extern const struct nsh_cmd nsh_cmd_sysctl;
extern const struct nsh_cmd nsh_cmd_add;
extern const struct nsh_cmd nsh_cmd_insert;
extern const struct nsh_cmd nsh_cmd_replace;
extern const struct nsh_cmd nsh_cmd_delete;
extern const struct nsh_cmd nsh_cmd_flush;
extern const struct nsh_cmd nsh_cmd_iptables;
extern const struct nsh_cmd nsh_cmd_ip6tables;
extern const struct nsh_cmd nsh_cmd_translate;
extern const struct nsh_cmd nsh_cmd_use;
extern const struct nsh_cmd nsh_cmd_counters;
extern const struct nsh_cmd nsh_cmd_begin;
extern const struct nsh_cmd nsh_cmd_diff;
extern const struct nsh_cmd nsh_cmd_commit;
extern const struct nsh_cmd nsh_cmd_abort;
extern const struct nsh_cmd nsh_cmd_undo;
extern const struct nsh_cmd nsh_cmd_confirm;
extern const struct nsh_cmd nsh_cmd_doctor;
extern const struct nsh_cmd nsh_cmd_save;
extern const struct nsh_cmd nsh_cmd_load;
extern const struct nsh_cmd nsh_cmd_persist;
extern const struct nsh_cmd nsh_cmd_wizard;
extern const struct nsh_cmd nsh_cmd_monitor;
extern const struct nsh_cmd nsh_cmd_trace;
extern const struct nsh_cmd nsh_cmd_metrics;
extern const struct nsh_cmd nsh_cmd_top;
extern const struct nsh_cmd nsh_cmd_help;
extern const struct nsh_cmd nsh_cmd_history;
extern const struct nsh_cmd nsh_cmd_exit;
extern const struct nsh_cmd nsh_cmd_quit;

const struct nsh_cmd *const nsh_cmds[] = {
	&nsh_cmd_show,
	&nsh_cmd_conntrack,
	&nsh_cmd_explain,
	&nsh_cmd_interfaces,
	&nsh_cmd_sysctl,
	&nsh_cmd_add,
	&nsh_cmd_insert,
	&nsh_cmd_replace,
	&nsh_cmd_delete,
	&nsh_cmd_flush,
	&nsh_cmd_iptables,
	&nsh_cmd_ip6tables,
	&nsh_cmd_translate,
	&nsh_cmd_use,
	&nsh_cmd_counters,
	&nsh_cmd_begin,
	&nsh_cmd_diff,
	&nsh_cmd_commit,
	&nsh_cmd_abort,
	&nsh_cmd_undo,
	&nsh_cmd_confirm,
	&nsh_cmd_wizard,
	&nsh_cmd_top,
	&nsh_cmd_monitor,
	&nsh_cmd_trace,
	&nsh_cmd_metrics,
	&nsh_cmd_doctor,
	&nsh_cmd_save,
	&nsh_cmd_load,
	&nsh_cmd_persist,
	&nsh_cmd_help,
	&nsh_cmd_history,
	&nsh_cmd_exit,
	&nsh_cmd_quit,
	NULL
};

/* `help TOPIC` beyond the commands (e.g. the rule syntax). */
extern const struct nsh_help_topic nsh_help_rule;

const struct nsh_help_topic *const nsh_help_topics[] = {
	&nsh_help_rule,
	NULL
};
