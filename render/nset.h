/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Named sets and maps as nft lists them (save writes them so). */
#ifndef NSH_RENDER_NSET_H
#define NSH_RENDER_NSET_H

#include <stdint.h>
#include "lib/buf.h"
#include "model/model.h"

/*
 * "\tset NAME {\n ... \t}\n" exactly as `nft list table` prints it, except
 * that an element's "expires" (it counts down) and its counter values are
 * left out: loaded back, each element starts its timeout afresh.  The set
 * must be known (s->known).
 */
void nsh_nset_render(const struct nsh_nset *s, struct nsh_buf *b);

#endif
