#!/bin/sh
# bench-procs.sh - time `fragscope procs` against ps (the peer) and
# against cat of every smaps_rollup (the limit).
#
#   bench/bench-procs.sh [BINARY] [--rounds N] [--warmup N] [--vmas N]
#
# BINARY defaults to build-bench/fragscope (relative to the source tree).
# The script compiles bench/timeit.c and bench/mkvmas.c with "cc -O2" into
# a temporary directory and runs, alternating A and B for N rounds
# (default 100), all with LC_ALL=C:
#
#   procs-nopss-vs-ps       A: fragscope procs --no-pss   B: ps -eo pid,user,rss,comm
#   procs-nopss-vs-ps-args  A: fragscope procs --no-pss   B: ps -eo pid,user,rss,args
#   procs-vs-cat            A: fragscope procs            B: cat /proc/0/smaps_rollup FILES
#   procs-big-vs-cat        the same with a process of --vmas N mappings
#                           (default 30000) made by mkvmas, alive meanwhile
#
# --no-pss and ps read the same files per process (stat, status; with
# "args" also cmdline, which fragscope --no-pss reads too) and resolve the
# uid with getpwuid.  FILES is every /proc/PID/smaps_rollup that cat could
# read when the scenario starts; "/proc/0/smaps_rollup" never exists, so
# cat always exits 1 and a process that exits during the run changes
# nothing (timeit expects status 1 of B).  cat reads only the rollups, so
# it is the floor of the default view: fragscope also lists /proc and
# reads stat, status and cmdline of every process.
#
# Output: per scenario, timeit's lines, then a markdown table.  Run as
# root, or the rollups of other users' processes are neither read by
# fragscope nor by cat.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=
rounds=100
warmup=5
vmas=30000
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--vmas) vmas=$2; shift 2 ;;
	-*) echo "usage: $0 [BINARY] [--rounds N] [--warmup N] [--vmas N]" >&2; exit 2 ;;
	*) bin=$1; shift ;;
	esac
done
[ -n "$bin" ] || bin=$top/build-bench/fragscope
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ ! -x "$bin" ]; then
	echo "bench-procs.sh: $bin is not an executable; build it first:" >&2
	echo "  meson setup build-bench --buildtype=release && ninja -C build-bench fragscope" >&2
	exit 2
fi
command -v ps >/dev/null || { echo "bench-procs.sh: needs ps (procps)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fragscope-bench-procs.XXXXXX")
mk=
cleanup() {
	exec 5>&- 2>/dev/null || :
	[ -n "$mk" ] && kill "$mk" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cc -O2 -std=c17 -Wall -o "$tmp/timeit" "$here/timeit.c"
cc -O2 -o "$tmp/mkvmas" "$here/mkvmas.c"
rows=$tmp/rows
: >"$rows"
export LC_ALL=C

run() { # LABEL [-b STATUS] A... :: B...
	label=$1; shift
	expect=
	if [ "$1" = -b ]; then
		expect="-b $2"; shift 2
	fi
	# shellcheck disable=SC2086
	"$tmp/timeit" -n "$rounds" -w "$warmup" -l "$label" $expect -- "$@" >"$tmp/out"
	grep -v '^ROW' "$tmp/out"
	grep '^ROW' "$tmp/out" | cut -f2- >>"$rows"
	echo
}

# The smaps_rollup files cat can read now, one per process with an mm.
rollups() {
	for f in /proc/[0-9]*/smaps_rollup; do
		cat "$f" >/dev/null 2>&1 && printf '%s\n' "$f"
	done
}

echo "processes: $(ls -d /proc/[0-9]* | wc -l) in /proc, $(rollups | wc -l) readable smaps_rollup"
run procs-nopss-vs-ps "$bin" procs --no-pss :: ps -eo pid,user,rss,comm
run procs-nopss-vs-ps-args "$bin" procs --no-pss :: ps -eo pid,user,rss,args
# shellcheck disable=SC2046
run procs-vs-cat -b 1 "$bin" procs :: cat /proc/0/smaps_rollup $(rollups)

mkfifo "$tmp/mkvmas.in"
"$tmp/mkvmas" "$vmas" <"$tmp/mkvmas.in" >"$tmp/mkvmas.out" &
mk=$!
exec 5>"$tmp/mkvmas.in"
i=0
while [ ! -s "$tmp/mkvmas.out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
read -r pid n <"$tmp/mkvmas.out"
echo "big process: PID $pid with $n lines in /proc/$pid/maps"
# shellcheck disable=SC2046
run procs-big-vs-cat -b 1 "$bin" procs :: cat /proc/0/smaps_rollup $(rollups)

echo "| scenario | A median (us) | B median (us) | ratio A/B median | p10 | p90 |"
echo "|---|---:|---:|---:|---:|---:|"
while IFS='	' read -r l ma mb r p10 p90; do
	echo "| $l | $ma | $mb | $r | $p10 | $p90 |"
done <"$rows"
