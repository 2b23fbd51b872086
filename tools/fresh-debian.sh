#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Run the README's test command on a fresh Debian 12: bootstrap a minbase
# bookworm root (debootstrap) from this machine's configured Debian archive,
# install nothing in it but make, copy the project in and run `make check`
# there (or the command given: tools/fresh-debian.sh make kernel T=0030).
#
# As root.  The whole session runs in a private mount namespace, so none of
# its mounts (proc, sys, a /dev of its own with its own ptys, /run, /tmp) is
# seen by the machine; they are unmounted and the root is removed afterwards,
# on failure too.  The machine's /etc, network, rules and sysctls are left
# alone: the kernel tests make network namespaces of their own (in the root's
# own /run/netns).  Installs debootstrap on the machine when it is missing.
#
# The last line printed is the command's last "N passed, N failed" line,
# after the times of the parts; the exit status is the command's.
set -euo pipefail
export LC_ALL=C
suite=bookworm
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
me=fresh-debian
say() { echo "$me: $*"; }
die() { echo "$me: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Inside the private mount namespace: tools/fresh-debian.sh --inside WORK MIRROR TOP CMD...
if [ "${1:-}" = --inside ]; then
	work=$2 mirror=$3 top=$4; shift 4
	root=$work/root
	now() { date +%s; }

	# everything mounted under the root, deepest first
	root_mounts() {
		findmnt -rn -o TARGET | awk -v r="$root" '$0 == r || index($0, r "/") == 1' | sort -r
	}
	teardown() {
		local p r t
		# processes left in the root (a daemon, a tmux server) would hold its mounts
		for _ in 1 2 3; do
			for p in /proc/[0-9]*; do
				r=$(readlink "$p/root" 2>/dev/null) || continue
				case $r in "$root" | "$root"/*) kill -9 "${p#/proc/}" 2>/dev/null || true;; esac
			done
			sleep 0.2
		done
		for t in $(root_mounts); do
			umount "$t" 2>/dev/null || umount -l "$t" || true
		done
		if [ -n "$(root_mounts)" ]; then
			echo "$me: still mounted under $root: $(root_mounts | tr "\n" " ")" >&2
			return 1
		fi
	}
	trap 'teardown || exit 1' EXIT

	# 1. bootstrap (the per-package lines left out)
	t0=$(now)
	mkdir -p "$root"
	include=()
	case $mirror in https:*) include=(--include=ca-certificates);; esac
	say "bootstrap: debootstrap --variant=minbase $suite from the machine's Debian archive"
	set +e
	debootstrap --variant=minbase --keyring="$keyring" "${include[@]}" \
		"$suite" "$root" "$mirror" 2>&1 |
		grep -Ev '^I: (Retrieving|Validating|Extracting|Unpacking|Configuring|Installing core) '
	st=${PIPESTATUS[0]}
	set -e
	[ "$st" -eq 0 ] || die "debootstrap failed (exit $st)"
	[ -x "$root/usr/bin/apt-get" ] || die "debootstrap left no apt-get in $root"
	t1=$(now)
	echo "bootstrap $((t1 - t0))" >>"$work/times"
	say "bootstrap: $((t1 - t0)) s"

	# no package installed in the root starts a service
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"

	# 2. the root a mount point of its own, as / is on a machine (`ip netns
	# exec` and `natsh -n` make / a slave mount: EINVAL on a mere directory);
	# what the kernel tests need: proc, sys, a /dev with ptys (tmux, script),
	# /run (ip netns: /run/netns), /tmp; the kernel's modules when it has any
	mount --bind "$root" "$root"
	mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
	mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
	mount -t tmpfs -o mode=755,nosuid,size=1m dev "$root/dev"
	for n in null zero full random urandom tty; do
		touch "$root/dev/$n"
		mount --bind "/dev/$n" "$root/dev/$n"
	done
	mkdir "$root/dev/pts" "$root/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$root/dev/pts"
	ln -s pts/ptmx "$root/dev/ptmx"
	mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
	ln -s /proc/self/fd "$root/dev/fd"
	ln -s /proc/self/fd/0 "$root/dev/stdin"
	ln -s /proc/self/fd/1 "$root/dev/stdout"
	ln -s /proc/self/fd/2 "$root/dev/stderr"
	mount -t tmpfs -o mode=755,nosuid,nodev run "$root/run"
	mkdir -m 1777 "$root/run/lock"
	mount -t tmpfs -o mode=1777,nosuid,nodev tmp "$root/tmp"
	modules=/lib/modules/$(uname -r)
	if [ -d "$modules" ]; then
		mkdir -p "$root/usr$modules"
		mount --bind "$modules" "$root/usr$modules"
		mount -o remount,bind,ro "$root/usr$modules"
	fi

	# 3. the project: the files git knows (a fresh clone's tree), else all but builds
	mkdir "$root/root/natsh"
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$top" ls-files -z | tar -C "$top" --null -T - -cf - | tar -C "$root/root/natsh" -xf -
	else
		tar -C "$top" --exclude=./build --exclude=./build-san --exclude=./build-fuzz \
			--exclude=./natsh -cf - . | tar -C "$root/root/natsh" -xf -
	fi

	# a clean environment: what root has on a fresh machine, plus CI=true
	env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
		CI=true DEBIAN_FRONTEND=noninteractive)
	for v in http_proxy https_proxy no_proxy; do
		[ -n "${!v:-}" ] && env+=("$v=${!v}")
	done
	in_root() { chroot "$root" /usr/bin/env -i "${env[@]}" "$@" </dev/null; }

	# 4. make, the one thing the README has one install by hand
	t0=$(now)
	say "installing make"
	in_root sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends make >/dev/null'
	t1=$(now)
	echo "make $((t1 - t0))" >>"$work/times"
	say "installing make: $((t1 - t0)) s"

	# 5. the command
	say "running: $*"
	t0=$(now)
	# shown and kept (for the last line); through a fifo, so that a process
	# the command leaves behind holding its output cannot keep us waiting
	mkfifo "$work/out"
	tee "$work/check.log" <"$work/out" &
	tee=$!
	rc=0
	in_root /bin/bash -c 'cd /root/natsh && exec "$@"' - "$@" >"$work/out" 2>&1 || rc=$?
	t1=$(now)
	echo "check $((t1 - t0))" >>"$work/times"
	trap - EXIT
	teardown || exit 1
	wait $tee
	exit $rc
fi

# ---------------------------------------------------------------------------
# On the machine
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mounts, chroot)"
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- make check
export DEBIAN_FRONTEND=noninteractive

# The machine's Debian archive for $suite: the URI of a deb822 entry whose
# Suites include $suite, else of a one-line "deb URI $suite ..." entry.
deb822_uri() {
	awk -v suite="$suite" '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") &&
			    enabled != "no" && uris != "" && !found) { split(uris, u, " "); print u[1]; found = 1 }
			types = suites = uris = ""; enabled = "yes"
		}
		BEGIN { enabled = "yes" }
		/^[ \t]*$/ { flush(); next }
		/^#/ { next }
		{
			i = index($0, ":"); if (!i) next
			k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/[ \t]+/, " ", v)
			if (k == "types") types = v; else if (k == "suites") suites = v
			else if (k == "uris") uris = v; else if (k == "enabled") enabled = tolower(v)
		}
		END { flush() }' "$@"
}
list_uri() {
	awk -v suite="$suite" '
		$1 != "deb" { next }
		{ i = 2; if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
		  if ($(i + 1) == suite) { print $i; exit } }' "$@"
}
mirror=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && mirror=$(deb822_uri "$f") && [ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && mirror=$(list_uri "$f") && [ -n "$mirror" ] && break
	done
fi
mirror=${mirror%/}
case $mirror in
	http://* | https://* | file:/*) ;;
	'') die "no Debian archive for $suite in /etc/apt/sources.list{,.d/*.sources,.d/*.list}";;
	*) die "the Debian archive for $suite is not http, https or file: ($mirror)";;
esac
# apt's proxy, when it has one and the environment does not
proxy=
eval "$(apt-config shell proxy Acquire::http::Proxy 2>/dev/null)" || true
if [ -z "${http_proxy:-}" ] && [ -n "$proxy" ] && [ "$proxy" != DIRECT ]; then
	export http_proxy=$proxy
fi

if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on this machine"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
[ -r "$keyring" ] || die "no $keyring to check the archive's signatures with"

# The machine's nsh* network namespaces (a leak from the root would be one),
# less those that cannot be from the root's tests (named nsh<PID>x<N>-...):
# a name without a PID, or one whose process lives outside any chroot (tests
# someone runs on this machine meanwhile).
netns_nsh() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^nsh/ {print $1}'); do
		pid=${ns#nsh}; pid=${pid%%[!0-9]*}
		[ -z "$pid" ] && continue	# not a test's (nsh<id>-...), hence not ours
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = / ] && continue
		echo "$ns"
	done | sort
}
ns_before=$(netns_nsh)
work=$(mktemp -d /var/tmp/natsh-fresh.XXXXXX)
# in this namespace nothing is mounted under $work (the mounts were private)
trap 'rm -rf --one-file-system "$work"' EXIT

rc=0
unshare --mount --propagation private -- "$0" --inside "$work" "$mirror" "$top" "$@" || rc=$?

declare -A took=()
if [ -f "$work/times" ]; then
	while read -r part secs; do took[$part]=$secs; done <"$work/times"
fi
final=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/check.log" 2>/dev/null | tail -1 || true)

# nothing may be left: mounts under the root, the root, namespaces on the machine
rm -rf --one-file-system "$work"
trap - EXIT
left=
if findmnt -rn -o TARGET | grep -qF "$work"; then left="mounts under $work; "; fi
if [ -e "$work" ]; then left="$left$work itself; "; fi
new_ns=$(comm -13 <(echo "$ns_before") <(netns_nsh) | tr '\n' ' ')
if [ -n "${new_ns// }" ]; then left="${left}network namespaces on the machine: $new_ns"; fi

say "times: bootstrap ${took[bootstrap]:-?} s, installing make ${took[make]:-?} s, $* ${took[check]:-?} s"
if [ -n "$left" ]; then
	say "left behind: $left"
	[ $rc -eq 0 ] && rc=1
else
	say "cleaned up: no mounts left, root removed, no nsh* namespaces on the machine"
fi
[ $rc -eq 0 ] || say "FAILED (exit $rc)"
[ -n "$final" ] && echo "$final"
exit $rc
