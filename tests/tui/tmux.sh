# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the tmux tests (sourced after ../lib.sh; not a test itself): a private
# tmux server in a temporary directory, removed on exit with the namespaces.
#   nsh_tmux_init TAG    sets $tmp, $sock, $S (the session name) and the trap
#   tm ARGS...           tmux on that server
#   screen               the session's screen as text
#   wait_for ERE         bounded wait (10 s) until the screen matches

nsh_tmux_init() {
	tmp=$(mktemp -d "/tmp/natsh-$1.XXXXXX")
	sock="$tmp/tmux.sock"
	S=natsh
	trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"; nsh_cleanup' EXIT
}

tm() { tmux -f /dev/null -S "$sock" "$@"; }
screen() { tm capture-pane -N -p -t "$S"; }
wait_for() {
	local re=$1 i
	for i in $(seq 1 100); do
		[[ $(screen) =~ $re ]] && return 0
		sleep 0.1
	done
	return 1
}
