#!/bin/sh
# top.sh - fragscope top in tmux on a fixture root: the first screen,
# Tab focus, the process sort, a / filter, Enter on a process (its maps
# --summary), Esc, help, pause, resizes (panes left out, below minimum),
# and the terminal restored after q and after SIGTERM.
set -u
name=top
. "$(dirname "$0")/tmux-lib.sh"
root=$FIXTURES/roots/x86_64-6.18-top

start_shell
T resize-window -x 120 -y 60
T send-keys "stty -g >$tmp/stty.before; clear" Enter
T send-keys "$FRAGSCOPE --root $root top -d 3600; echo EXIT=\$?" Enter
wait_for '^Processes' || exit 1
wait_for '^ +10668 ' || exit 1
golden start
check '[ "$(T display -p "#{alternate_on}")" = 1 ]' "not in the alternate screen while running"

# Tab: the focus (reverse video title) moves from Memory to the next pane.
T capture-pane -p -e >"$tmp/attr"
check 'grep -q "$(printf "\033")\[1m$(printf "\033")\[7mMemory\|$(printf "\033")\[7m$(printf "\033")\[1mMemory\|$(printf "\033")\[1;7mMemory\|$(printf "\033")\[7;1mMemory" "$tmp/attr" || grep "Memory" "$tmp/attr" | grep -q "7m"' "Memory pane not focused at start"
T send-keys Tab
i=0
while [ $i -lt 100 ]; do
	T capture-pane -p -e | grep "Free pages per order" | grep -q "7m" && break
	sleep 0.1
	i=$((i + 1))
done
check '[ $i -lt 100 ]' "Tab did not move the focus to the free-pages pane"

# s on the process pane: sort by swap (ties by PID: 1 first).
T send-keys s
wait_for '\(sort: swap\)' || fail=1
screen | grep -A1 '^     PID' | tail -1 | grep -q '^       1 ' || { echo "s: first row is not PID 1"; fail=1; }
T send-keys s
wait_for '\(sort: pid\)' || fail=1
T send-keys s
wait_for '\(sort: rss\)' || fail=1

# Filter processes, then Down and Enter: the maps --summary pane.
T send-keys /
T send-keys -l 'python|oddmaps'
T send-keys Enter
wait_for 'filter: python\|oddmaps' || fail=1
check '! screen | grep -q "^ *16157 "' "the filter left bash in the list"
T send-keys Down Enter
wait_for '^Address space of PID 4242' || fail=1
wait_for '^ KIND ' || fail=1
wait_for '^ total ' || fail=1
check 'screen | grep -q "^Processes"' "the process pane was left out for the address space pane"
golden maps
T send-keys Escape
wait_gone '^Address space of PID' || fail=1
T send-keys / C-u Enter
wait_for '^ +16157 ' || fail=1

# Pause and resume.
T send-keys p
wait_for 'paused' || fail=1
T send-keys p
wait_gone 'paused' || fail=1

# Help.
T send-keys h
wait_for 'next pane' || fail=1
golden help
T send-keys x
wait_for '^Processes' || fail=1

# Resizes: large, smaller (panes left out and named), below the minimum.
T resize-window -x 160 -y 70
wait_for '^Processes' || fail=1
golden large
T resize-window -x 100 -y 30
wait_for '^hidden \(terminal too short' || fail=1
golden small
T resize-window -x 70 -y 15
wait_for 'terminal too small' || fail=1
golden too-small
T resize-window -x 120 -y 60
wait_for '^Processes' || fail=1

T send-keys q
wait_for '^EXIT=0' || fail=1
check_restored q

T send-keys "sh -c 'echo \$\$ >$tmp/pid; exec $FRAGSCOPE --root $root top -d 3600'; echo EXIT=\$?" Enter
wait_for '^Processes' || fail=1
kill -TERM "$(cat "$tmp/pid")"
wait_for '^EXIT=143' || fail=1
check_restored SIGTERM

exit $fail
