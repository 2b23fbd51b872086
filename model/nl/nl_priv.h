/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The inside of struct nsh_nl, for the model's netlink files only:
 * commands never see it.
 */
#ifndef NSH_NL_PRIV_H
#define NSH_NL_PRIV_H

#include "model/nl/nl.h"
#include "model/nl/sock.h"

/* Room for one request message (a dump request or GETGEN: well under a page). */
#define NSH_NL_REQLEN 8192

/* The ruleset reader's handle: its netfilter socket. */
struct nsh_nl {
	struct nsh_sock *sock;
};

#endif
