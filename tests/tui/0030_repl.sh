#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The interactive shell in a real terminal (tmux): the prompt shows the
# namespace and the table, Tab completes command names and arguments,
# double Tab and '?' list what may come next with help lines without
# touching the line, Ctrl-C cancels the line (never the shell), errors keep
# the shell alive, Ctrl-D and exit leave, history is kept mode 0600.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/tmux.sh"

command -v tmux >/dev/null || { fail "tmux is needed"; nsh_done; exit; }
ns=$(nsh_ns_new repl)
nsh_tmux_init 0030

# the last non-empty line of the screen (where the cursor line is)
last_line() { screen | sed '/^$/d' | tail -1; }

# wait (bounded) until natsh has left; its exit status is then in $tmp/status
wait_dead() {
	local i
	for i in $(seq 1 100); do
		[ -s "$tmp/status" ] && return
		sleep 0.1
	done
}
exit_status() { cat "$tmp/status" 2>/dev/null; }

start() {
	rm -f "$tmp/status"
	tm kill-session -t $S 2>/dev/null
	tm new-session -d -s $S -x 160 -y 45 \
		"env HOME=$tmp TERM=xterm $NATSH -n $ns; r=\$?; stty -a >$tmp/stty; echo \$r >$tmp/status; sleep 60"
}

prompt="natsh($ns) inet natsh> "
start
if wait_for "natsh\\($ns\\) inet natsh> "; then ok "prompt shows netns and table"; else
	fail "prompt shows netns and table"; screen | sed 's/^/#   /'; nsh_done; exit; fi

# Tab completes a unique command prefix, then a command name as argument
tm send-keys -t $S 'hel' Tab
wait_for "> help $" && ok "Tab completes a command name" || { fail "Tab completes a command name"; screen | tail -3; }
tm send-keys -t $S 'exi' Tab
wait_for "> help exit $" && ok "Tab completes an argument from the grammar" || { fail "Tab completes an argument"; screen | tail -3; }
tm send-keys -t $S Enter
wait_for "usage: exit" && ok "Enter runs the line" || fail "Enter runs the line"
tm send-keys -t $S C-l
sleep 0.2

# '?' lists what may come next, with help, and leaves the line as it was
tm send-keys -t $S 'history ' '?'
if wait_for "forget the history of this session"; then ok "'?' shows keywords with help"; else
	fail "'?' shows keywords with help"; screen | sed 's/^/#   /'; fi
expect_match "'?' shows the placeholder with help" "$(screen)" "N +show only the last N lines"
expect_match "'?' says the line may end" "$(screen)" "<enter> +run the command"
expect_eq "'?' leaves the line alone" "$(last_line)" "${prompt}history "
tm send-keys -t $S C-u

# double Tab lists the candidates with help lines
tm send-keys -t $S C-l
tm send-keys -t $S 'h' Tab Tab
if wait_for "history +show the lines typed so far"; then ok "double Tab lists candidates with help"; else
	fail "double Tab lists candidates with help"; screen | sed 's/^/#   /'; fi
expect_match "double Tab lists help too" "$(screen)" "help +list the commands, or explain one"
expect_eq "double Tab leaves the line alone" "$(last_line)" "${prompt}h"

# Ctrl-C cancels the line, not the shell
tm send-keys -t $S C-u 'bogus-cancelled-line' C-c
wait_for "\\^C" && ok "Ctrl-C echoes ^C" || fail "Ctrl-C echoes ^C"
tm send-keys -t $S C-l
tm send-keys -t $S Enter 'help quit' Enter
wait_for "usage: quit" && ok "the shell survives Ctrl-C" || { fail "the shell survives Ctrl-C"; screen | tail -5; }
if screen | grep -q 'unknown command "bogus-cancelled-line"'; then fail "Ctrl-C dropped the line"; else ok "Ctrl-C dropped the line"; fi
tm send-keys -t $S C-c C-c
sleep 0.3
expect_eq "Ctrl-C at an empty prompt keeps the shell" "$(exit_status)" ""

# errors keep the shell alive, with a caret
tm send-keys -t $S C-l
tm send-keys -t $S 'exit now' Enter
wait_for 'unexpected "now": exit takes no arguments' && ok "errors are reported" || fail "errors are reported"
expect_match "the error has a caret" "$(screen)" $'exit now\n       \\^~~'
expect_eq "the shell survives an error" "$(exit_status)" ""

# Ctrl-D leaves with status 0, the terminal as it was
tm send-keys -t $S C-d
wait_dead
expect_eq "Ctrl-D leaves with status 0" "$(exit_status)" 0
expect_match "Ctrl-D: the terminal is back in canonical mode with echo" \
	"$(cat "$tmp/stty")" '(^|[ ;])icanon .*(^|[ ;])echo[ ;]'

# history: kept in ~/.natsh_history, mode 0600, read back by the next session
expect_eq "history file mode" "$(stat -c %a "$tmp/.natsh_history" 2>/dev/null)" 600
expect_match "history file holds the lines" "$(cat "$tmp/.natsh_history" 2>/dev/null)" $'help exit *\n(.*\n)*help quit'
start
wait_for "inet natsh> " || fail "second session starts"
tm send-keys -t $S Up
wait_for "> exit now$" && ok "history is read back (Up)" || { fail "history is read back (Up)"; screen | tail -3; }
tm send-keys -t $S C-u 'history 2' Enter
wait_for '[0-9]+  history 2' && ok "history command lists the lines" || { fail "history command"; screen | tail -5; }

# exit leaves too
tm send-keys -t $S 'exit' Enter
wait_dead
expect_eq "exit leaves with status 0" "$(exit_status)" 0

# SIGTERM leaves through the normal path: status 1 and a sane terminal
start
wait_for "inet natsh> " || fail "third session starts"
tm send-keys -t $S 'half typed'
pid=$(pgrep -P "$(tm display -p -t $S '#{pane_pid}')" -x natsh | head -1)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	wait_dead
	expect_eq "SIGTERM: exit status 1" "$(exit_status)" 1
	expect_match "SIGTERM: the terminal is back in canonical mode with echo" \
		"$(cat "$tmp/stty")" '(^|[ ;])icanon .*(^|[ ;])echo[ ;]'
else
	fail "natsh process not found under the pane"
fi

nsh_done
