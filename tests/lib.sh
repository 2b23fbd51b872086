# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for natsh's kernel tests (bash).  Every test makes its own
# network namespaces with unique names and removes them on exit; nothing
# touches the root namespace.

set -u
NSH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NATSH=${NATSH:-$NSH_TOP/build-san/natsh}
[ -x "$NATSH" ] || NATSH=$NSH_TOP/build/natsh
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
NSH_NS_LIST=()
NSH_FAILS=0
NSH_PASSES=0

# A namespace name unique to this test run: nshT<pid>-<tag>
nsh_ns_name() { printf 'nsh%s-%s' "$$" "$1"; }

# Create a namespace (with lo up) and remember it for removal.
nsh_ns_new() {
	local ns; ns=$(nsh_ns_name "$1")
	ip netns add "$ns" || { echo "cannot create namespace $ns" >&2; exit 1; }
	NSH_NS_LIST+=("$ns")
	ip -n "$ns" link set lo up
	echo "$ns"
}

nsh_cleanup() {
	local ns
	for ns in "${NSH_NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}
trap nsh_cleanup EXIT

# Run a command inside a namespace, refusing to run in the root namespace.
nsx() {
	local ns=$1; shift
	case "$ns" in nsh*) ;; *) echo "nsx: refusing namespace '$ns'" >&2; return 99;; esac
	ip netns exec "$ns" "$@"
}

ok()   { NSH_PASSES=$((NSH_PASSES + 1)); echo "ok - $*"; }
fail() { NSH_FAILS=$((NSH_FAILS + 1)); echo "not ok - $*"; }

# Compare two strings; print a diff on mismatch.
expect_eq() {
	local what=$1 got=$2 want=$3
	if [ "$got" == "$want" ]; then ok "$what"; else
		fail "$what"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -40 | sed 's/^/#   /'
	fi
}

# End of a test file: the plain summary line, exit status.
nsh_done() {
	echo "$NSH_PASSES passed, $NSH_FAILS failed"
	[ "$NSH_FAILS" -eq 0 ]
}
