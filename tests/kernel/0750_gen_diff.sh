#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Generative differential test against nft (tests/kernel/gen/): GEN_COUNT
# (default 5000) random rules from nft(8)'s grammar, seeded (GEN_SEED, default
# a fixed seed in `make check`; `make soak` passes a new one), both ways:
# nft writes -> `natsh -j show` must print nft's text; natsh writes ->
# `nft list` must print what nft prints for the same rule.  Every failure is
# reduced to its smallest failing rule and printed with the seed.
# GEN_FAMILIES / GEN_WITHOUT pick construct families (see gen/nftgen.py);
# the gate is GEN_MAX_MISMATCH (default 0) and GEN_MAX_OVERACCEPT,
# GEN_MAX_OPAQUE, GEN_MAX_REFUSED (default -1, no limit): see gen/difftest.py.
source "$(dirname "$0")/../lib.sh"

seed=${GEN_SEED:-750}
count=${GEN_COUNT:-5000}
args=(--natsh "$NATSH" --ns-prefix "$(nsh_ns_name gen)" --seed "$seed" --count "$count")
[ -n "${GEN_FAMILIES:-}" ] && args+=(--families "$GEN_FAMILIES")
[ -n "${GEN_WITHOUT:-}" ] && args+=(--without "$GEN_WITHOUT")
[ -n "${GEN_JSON:-}" ] && args+=(--json "$GEN_JSON")
if timeout -k 5 "${GEN_TIMEOUT:-1200}" python3 "$NSH_TOP/tests/kernel/gen/difftest.py" "${args[@]}"; then
	ok "generated rules: no wrong meaning (seed $seed, $count rules)"
else
	fail "generated rules: wrong meanings or limits exceeded (seed $seed, $count rules; see above)"
fi
nsh_done
