#!/bin/bash
# bench-tui.sh - CPU time per refresh of the live views against slabtop(1),
# measured the same way in the same run, and the resident memory of the
# loop after 100 and after 10,000 refreshes.
#
# usage: bench/bench-tui.sh [FRAGSCOPE] [REFRESHES] [ROUNDS]
#        (default build-bench/fragscope, 2000, 5; run as root)
#
# Method.  slabtop's delay is whole seconds, so "many refreshes at a short
# delay" is driven the way both programs allow: each runs in a tmux window
# (200x50, TERM=screen) and is sent REFRESHES spaces; SPACE refreshes the
# model and redraws in both (one refresh per key: slabtop reads one key
# per select(), fragscope one per getch()).  CPU is utime+stime from
# /proc/PID/stat before the burst and after the program has gone idle
# (rchar in /proc/PID/io stops moving).  The refresh count is checked
# from rchar: every slabtop refresh reads /proc/slabinfo twice (procps 4.0.2)
# and every fragscope slabtop refresh once, so Δrchar / size(slabinfo)
# must be 2 x REFRESHES and REFRESHES (the "reads" column).  Rounds alternate A
# and B; the report is the median of the per-round ratios.
set -u
F=${1:-build-bench/fragscope}
N=${2:-2000}
ROUNDS=${3:-5}
F=$(readlink -f "$F")
command -v tmux >/dev/null || { echo "needs tmux"; exit 1; }
command -v slabtop >/dev/null || { echo "needs slabtop (procps)"; exit 1; }
sock=bench-tui-$$
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null' EXIT
T new-session -d -x 200 -y 50 -n idle "sleep 100000"
hz=$(getconf CLK_TCK)

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rchar() { awk '/^rchar/ { print $2 }' "/proc/$1/io"; }

# start WINDOW CMD...: run CMD in a new window; prints its pid once it has
# drawn (its rchar stopped moving).
start() {
	local w=$1
	shift
	T new-window -d -n "$w" "exec env TERM=screen NO_COLOR=1 $*"
	local pid
	pid=$(T display -p -t "$w" '#{pane_pid}')
	idle "$pid"
	echo "$pid"
}

# idle PID: wait until the program has read nothing for 0.3 s.
idle() {
	local a b
	a=$(rchar "$1")
	while :; do
		sleep 0.3
		b=$(rchar "$1")
		[ "$a" = "$b" ] && return
		a=$b
	done
}

# burst WINDOW PID COUNT: send COUNT spaces (in chunks tmux accepts) and wait.
burst() {
	local left=$3 k
	while [ "$left" -gt 0 ]; do
		k=$((left > 500 ? 500 : left))
		T send-keys -t "$1" -N "$k" Space
		left=$((left - k))
	done
	idle "$2"
}

stop() { T send-keys -t "$1" q; sleep 0.3; T kill-window -t "$1" 2>/dev/null; }

# one NAME CMD...: µs of CPU per refresh and refreshes seen by rchar/slabinfo.
one() {
	local name=$1
	shift
	local pid t0 r0 t1 r1 size
	pid=$(start "$name" "$@")
	size=$(wc -c </proc/slabinfo)
	t0=$(ticks "$pid")
	r0=$(rchar "$pid")
	burst "$name" "$pid" "$N"
	t1=$(ticks "$pid")
	r1=$(rchar "$pid")
	stop "$name"
	awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$N" -v r=$((r1 - r0)) -v s="$size" \
		'BEGIN { printf "%.1f %.0f\n", t * 1e6 / hz / n, r / s }'
}

echo "# $(date -u '+%F %T') $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${RSS_ONLY:-}" ] && ROUNDS=0
echo "# $N refreshes per run (SPACE bursts in tmux), $ROUNDS rounds, CPU from /proc/PID/stat"
printf "%-6s %14s %14s %14s %10s %10s %8s\n" round "slabtop_us" "fs_slabtop_us" "fs_top_us" "A/slabtop" "top/slabtop" "reads"
ra=()
rt=()
for ((i = 1; i <= ROUNDS; i++)); do
	read -r b bn < <(one ref slabtop -d 3600)
	read -r a an < <(one fs "$F" slabtop -d 3600)
	read -r tp _ < <(one fstop "$F" top -d 3600)
	x=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
	y=$(awk -v a="$tp" -v b="$b" 'BEGIN { printf "%.3f", a / b }')
	ra+=("$x")
	rt+=("$y")
	printf "%-6s %14s %14s %14s %10s %10s %8s\n" "$i" "$b" "$a" "$tp" "$x" "$y" "$bn/$an"
done
med() {
	[ $# -eq 0 ] && { echo -; return; }
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median fragscope slabtop / slabtop CPU per refresh: $(med "${ra[@]}")"
echo "median fragscope top / slabtop CPU per refresh:     $(med "${rt[@]}")"

# Resident memory after 100, 10,000 and 20,000 refreshes (no leak in the
# loop: it must not grow after the first 100).  Driven through a pty by
# bench/rss-pty.py rather than tmux: every `tmux send-keys` is a process,
# which top then lists, so its process table would change because of the
# measurement.
for v in ${RSS_VIEWS:-slabtop top}; do
	python3 "$(dirname "$0")/rss-pty.py" "$F" "$v"
done
