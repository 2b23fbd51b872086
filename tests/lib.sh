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
NSH_LAB_UP=0
# tests/run-kernel.sh sets NSH_TEST_ID per test (to find leaked namespaces);
# a test run by hand uses its PID.
NSH_ID=${NSH_TEST_ID:-$$}

if [ "$(id -u)" -ne 0 ]; then
	echo "$(basename "$0"): kernel tests need root (network namespaces)" >&2
	exit 1
fi

# A namespace name unique to this test run: nsh<id>-<tag>
nsh_ns_name() { printf 'nsh%s-%s' "$NSH_ID" "$1"; }

# Create a namespace (with lo up) and remember it for removal.
nsh_ns_new() {
	local ns; ns=$(nsh_ns_name "$1")
	ip netns add "$ns" || { echo "cannot create namespace $ns" >&2; exit 1; }
	NSH_NS_LIST+=("$ns")
	ip -n "$ns" link set lo up
	echo "$ns"
}

# Remove this test's namespaces: those it listed, and every nsh<id>-* (a
# namespace made by `ns=$(nsh_ns_new x)` is listed only in that subshell).
nsh_cleanup() {
	local ns f
	[ "$NSH_LAB_UP" = 1 ] && lab_down
	for f in /run/netns/"nsh$NSH_ID"-*; do
		[ -e "$f" ] && NSH_NS_LIST+=("${f##*/}")
	done
	for ns in "${NSH_NS_LIST[@]}"; do
		[ -e "/run/netns/$ns" ] || continue
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

# Run a shell command line on a pseudo-terminal (script(1)) of a fixed size,
# 200 columns by 50 rows, with TERM=xterm: readline's wrapping and scrolling
# then do not depend on the environment running the test (CI has no TERM, no
# COLUMNS and no standard input; a new pty has no size).  Input comes from
# stdin, the terminal's output goes to stdout.   nsh_tty SECONDS 'CMD ARGS'
nsh_tty() {
	local secs=$1; shift
	TERM=xterm COLUMNS=200 LINES=50 timeout "$secs" \
		script -qec "stty cols 200 rows 50 2>/dev/null; $*" /dev/null
}

# Bring up the lab (tests/lab/lab.sh) under this test's own prefix
# nsh<id>-lab; it is torn down on exit.  Then: lab_ns HOST, lab_exec HOST CMD,
# lab_tcp FROM ADDR PORT, lab_udp FROM ADDR PORT, $LAB_PC1_4 etc.
nsh_lab_up() {
	# shellcheck source=lab/lab.sh
	source "$NSH_TOP/tests/lab/lab.sh"
	LAB_PREFIX=$(nsh_ns_name lab)
	NSH_LAB_UP=1
	lab_up || { echo "cannot bring up the lab $LAB_PREFIX" >&2; exit 1; }
}

# natsh inside a lab host or test namespace: nsh_natsh NS ARGS...
nsh_natsh() {
	local ns=$1; shift
	nsx "$ns" "$NATSH" "$@"
}

# nft's view of every rule, one line each:
#   family TAB table TAB chain TAB position TAB handle TAB text (as nft -a prints it)
nsh_nft_rule_lines() {
	nsx "$1" nft -a list ruleset 2>/dev/null | awk '
	/^table / { fam = $2; tab = $3; next }
	/^\tchain / { ch = $2; pos = 0; next }
	/^\t\t/ {
		line = $0; sub(/^\t\t/, "", line)
		if (line ~ /^(type|flags|elements|policy) /) next
		if (line !~ / # handle [0-9]+$/) next
		h = line; sub(/.* # handle /, "", h); sub(/ # handle [0-9]+$/, "", line)
		pos++
		print fam "\t" tab "\t" ch "\t" pos "\t" h "\t" line
	}'
}

# The same lines from `natsh -j show` output (file $1); packets/bytes that
# disagree with the counter in the rule's own nft text go to stderr.
nsh_natsh_rule_lines() {
	python3 - "$1" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for t in doc["tables"]:
    for c in t["chains"]:
        for r in c["rules"]:
            print("\t".join([t["family"], t["name"], c["name"], str(r["position"]),
                             str(r["handle"]), r["nft"]]))
            pk, by = r["packets"], r["bytes"]
            txt = r["nft"]
            if " counter packets " in " " + txt or txt.startswith("counter packets "):
                w = txt.split("counter packets ", 1)[1].split()
                want = (int(w[0]), int(w[2]))
            else:
                want = (None, None)
            if (pk, by) != want:
                print("COUNTER MISMATCH %s %s %s: json %s/%s text %s/%s" %
                      (t["name"], c["name"], r["position"], pk, by, want[0], want[1]),
                      file=sys.stderr)
EOF
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

# Check a command's exit status: expect_rc WHAT WANT CMD...
expect_rc() {
	local what=$1 want=$2 got; shift 2
	"$@" >/dev/null 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$what"; else fail "$what (exit $got, want $want)"; fi
}

# Check that a string matches an extended regular expression.
expect_match() {
	local what=$1 got=$2 re=$3
	if [[ $got =~ $re ]]; then ok "$what"; else
		fail "$what"; printf '#   want /%s/, got:\n' "$re"; printf '%s\n' "$got" | head -20 | sed 's/^/#   /'
	fi
}

# End of a test file: the plain summary line, exit status.
nsh_done() {
	echo "$NSH_PASSES passed, $NSH_FAILS failed"
	[ "$NSH_FAILS" -eq 0 ]
}
