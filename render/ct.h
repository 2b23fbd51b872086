/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Conntrack entries -> one text line or one JSON object. */
#ifndef NSH_RENDER_CT_H
#define NSH_RENDER_CT_H

#include "lib/buf.h"
#include "model/ct.h"

struct nsh_out;

/* "ADDR:PORT" ("[v6]:PORT", or ADDR alone without ports) of one endpoint. */
void nsh_ct_render_ep(const struct nsh_ct *ct, const uint8_t *addr, uint16_t port,
		      struct nsh_buf *b);
/*
 * "tcp  ESTABLISHED  A:p → B:q ⇒ C:r  timeout N  P pkts 1.2K" without a
 * newline: the translated part is "⇒ DST" for DNAT, "⇒ SRC → DST" when
 * the source was translated; counters only when accounting recorded them.
 */
void nsh_ct_render_line(const struct nsh_ct *ct, struct nsh_buf *b);
/* "ESTABLISHED" for TCP, else ASSURED / UNREPLIED / REPLIED from the status. */
const char *nsh_ct_state_str(const struct nsh_ct *ct);
/* "dnat", "snat", "snat+dnat" or NULL. */
const char *nsh_ct_nat_str(const struct nsh_ct *ct);
/* One entry: a text line, or a JSON object (an element of the caller's array). */
void nsh_ct_render(struct nsh_out *o, const struct nsh_ct *ct, struct nsh_buf *scratch);

#endif
