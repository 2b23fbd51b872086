/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `explain`: a first packet's path through the NAT chains (model/explain.h)
 * in plain words, hook by hook, or as one JSON document.
 */
#ifndef NSH_RENDER_EXPLAIN_H
#define NSH_RENDER_EXPLAIN_H

#include "model/explain.h"
#include "render/out.h"

void nsh_explain_render(struct nsh_out *o, const struct nsh_xp *x);

#endif
