/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `monitor`, also what `top` runs when stdout is not a terminal. */
#ifndef NSH_CMD_MONITOR_H
#define NSH_CMD_MONITOR_H

struct nsh_ctx;

/* Print a block (or JSON line) every interval seconds, count times (0: until SIGINT). */
int nsh_monitor_run(struct nsh_ctx *ctx, double interval, unsigned long count);
/* Parse "1", "0.5": seconds in [0.1, 3600]; -1 when not. */
double nsh_interval_parse(const char *s);

#endif
