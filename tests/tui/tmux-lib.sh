# tmux-lib.sh - helpers for the TUI tests: the real binary in a private
# tmux server, driven with send-keys and checked with capture-pane.
# Sourced by the test scripts; they set $name (goldens: expected/$name-*.txt).
#
# No fixed sleeps decide a result: wait_for polls the screen for an
# expected string for up to 20 s, and a golden is compared only once the
# string that marks the awaited state is on screen and the screen has
# stopped changing.

: "${FRAGSCOPE:?}" "${FIXTURES:?}" "${TUI_DIR:?}"
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }

sock=fragscope-test-$$
tmp=$(mktemp -d) || exit 99
fail=0
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT

# A shell in a 120x30 window with a fixed terminal type and no colour.
start_shell() {
	T new-session -d -x 120 -y 30 \
		"env -i PATH=/usr/bin:/bin HOME=$tmp TERM=screen LC_ALL=C NO_COLOR=1 PS1='PROMPT\$ ' sh -i" ||
		exit 99
	wait_for 'PROMPT\$' || { echo "shell did not start"; exit 99; }
}

screen() { T capture-pane -p | sed 's/[[:space:]]*$//'; }

# wait_for ERE: poll the screen until a line matches.
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -E -q -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "timed out waiting for /$1/; screen:"
	screen
	return 1
}

# wait_gone ERE: poll until no line matches.
wait_gone() {
	i=0
	while [ $i -lt 200 ]; do
		screen | grep -E -q -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "timed out waiting for /$1/ to go; screen:"
	screen
	return 1
}

# golden TAG: compare the screen with expected/$name-TAG.txt (seeded when missing).
golden() {
	exp=$TUI_DIR/expected/$name-$1.txt
	# A frame may be half drawn when the awaited string appears: take the
	# screen once two captures 0.3 s apart agree.
	screen >"$tmp/screen"
	i=0
	while [ $i -lt 30 ]; do
		sleep 0.3
		screen >"$tmp/screen2"
		cmp -s "$tmp/screen" "$tmp/screen2" && break
		mv "$tmp/screen2" "$tmp/screen"
		i=$((i + 1))
	done
	if [ ! -e "$exp" ]; then
		cp "$tmp/screen" "$exp"
		echo "seeded missing golden $exp: review it and rerun"
		fail=1
	elif ! diff -u "$exp" "$tmp/screen"; then
		echo "screen differs from $exp"
		fail=1
	fi
}

check() {
	if ! eval "$1"; then
		echo "check failed: $2"
		fail=1
	fi
}

# The terminal is back: not in the alternate screen, the shell answers,
# and stty settings are those saved before the view started.
check_restored() {
	check '[ "$(T display -p "#{alternate_on}")" = 0 ]' "alternate screen still on after $1"
	T send-keys "stty -g | cmp -s - $tmp/stty.before && echo STTY-SAME-\$((40+2))" Enter
	wait_for 'STTY-SAME-42' || { echo "stty settings not restored after $1"; fail=1; }
	T send-keys clear Enter
	wait_gone 'STTY-SAME' || fail=1
}
