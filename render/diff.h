/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The staged changes (model/txn's list) as diff shows them: "+"/"-" lines per chain. */
#ifndef NSH_RENDER_DIFF_H
#define NSH_RENDER_DIFF_H

#include <stddef.h>

#include "lib/buf.h"
#include "model/txn/txn.h"
#include "render/out.h"

/* The changes as text: "chain F T C" before a chain's first change, then "+ rule" / "- rule". */
void nsh_diff_text(const struct nsh_change *v, size_t n, struct nsh_buf *b);

/* The changes as that text, or {"diff": that text} in JSON; "nothing staged" when none. */
void nsh_diff_render(struct nsh_out *o, const struct nsh_change *v, size_t n);

#endif
