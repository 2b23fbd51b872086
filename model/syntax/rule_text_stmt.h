/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nft's text of the statements of model/stmts.h, and the names their values use. */
#ifndef NSH_RULE_TEXT_STMT_H
#define NSH_RULE_TEXT_STMT_H

#include <stdint.h>
#include "lib/buf.h"
#include "model/model.h"

/* reject, limit, quota, log, notrack, set, dynset; family: the table's. */
void nsh_stmt_more_render(const struct nsh_stmt *s, int family, struct nsh_buf *b);
void nsh_setf_val_render(const struct nsh_setf *f, uint32_t v, struct nsh_buf *b);
void nsh_time_render(uint64_t ms, struct nsh_buf *b);
/* "second" ... "week" for 1 ... 604800; NULL for other lengths. */
const char *nsh_time_unit_name(uint64_t secs);
/* -1 when not a name nft knows. */
int nsh_dscp_parse(const char *name);
int nsh_log_level_parse(const char *name);

#endif
