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
	# libnftables: nft's own text of the rules natsh does not understand
	libnftables-dev
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
	# the Debian package (make deb, tests/kernel/0800): debhelper, dh_bash-completion,
	# lintian; man-db for `man -w` on the installed package; systemd for
	# `systemd-analyze verify` of natsh.service (0810)
	debhelper bash-completion lintian man-db systemd
	# metrics (0820): promtool check metrics, the real node_exporter, curl to scrape it
	prometheus prometheus-node-exporter curl
	# many routers (0830): ansible-playbook runs contrib/ansible/site.yml, builtin modules only
	ansible-core
)

# A package counts as present when dpkg says "install ok installed".
installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

updated=0
install() {
	local missing=() p
	for p in "$@"; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "deps: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	if [ $updated -eq 0 ]; then apt-get update -qq; updated=1; fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

install "${PACKAGES[@]}"

# clang's runtimes for -fsanitize=fuzzer,address,undefined (make fuzz) are
# only a Recommends of clang, which --no-install-recommends leaves out.  Their
# package carries clang's major version (Debian 12: libclang-rt-14-dev), so it
# is known only once clang is installed.
clang_major=$(clang -dumpversion | cut -d. -f1)
install "libclang-rt-$clang_major-dev"
