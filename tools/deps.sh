#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian packages natsh needs to build, test and benchmark.
# Idempotent; prints nothing when nothing is missing.  This is the ONE list:
# add a package here (with a word on why) and nowhere else.
set -euo pipefail

PACKAGES=(
	# build
	build-essential pkg-config clang
	libnftnl-dev libmnl-dev libreadline-dev libncurses-dev libjansson-dev
	# unit tests
	libcmocka-dev
	# kernel tests and the lab: oracles, namespaces, services, clients
	nftables iptables conntrack iproute2 socat netcat-openbsd iputils-ping python3
	libcap2-bin util-linux procps
	# the kernel autoloads nf_tables/NAT modules through /sbin/modprobe
	kmod
	# JSON checks in tests, the man page check (groff), terminal (tmux-driven) tests
	jq groff-base tmux
	# benchmark (strace: syscall counts in bench sections)
	time hyperfine strace
)

# A package counts as present when dpkg says "install ok installed".
missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
