/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iptables-legacy beside nf_tables: a legacy nat table holding rules in
 * this network namespace applies too, and natsh cannot see its rules.
 */
#ifndef NSH_LEGACY_H
#define NSH_LEGACY_H

#include <stdbool.h>

#include "model/model.h"

/*
 * How many entries beyond its built-in chains the legacy nat table of
 * family (NSH_FAM_IP or NSH_FAM_IP6) holds in the current namespace: 0 when
 * there is no such table (it is never created by asking), -1 + errno when
 * it exists but cannot be read (then the caller knows only that it exists).
 */
long nsh_legacy_nat_rules(int family);

/*
 * Whether a legacy nat table of family exists in the current namespace
 * (listed in /proc/net/ip{,6}_tables_names): it is then on the NAT hooks,
 * empty or not.
 */
bool nsh_legacy_nat_loaded(int family);

#endif
