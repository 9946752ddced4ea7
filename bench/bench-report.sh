#!/bin/sh
# bench-report.sh - time fragscope against cat of the files it reads.
#
#   bench/bench-report.sh [BINARY] [--rounds N] [--warmup N] [--root DIR] [--raw DIR]
#
# BINARY defaults to build-bench/fragscope (relative to the source tree);
# this script builds nothing of fragscope.  It compiles bench/timeit.c with
# "cc -O2" into a temporary directory, then runs these scenarios, each one
# alternating A and B for N rounds (default 200) and timing every run:
#
#   report-live   A: fragscope --json            B: cat <the 6 files it reads>
#   report-root   A: fragscope --root DIR --json  B: cat <the 7 files it reads under DIR>
#   mem-live      A: fragscope mem --json        B: cat /proc/meminfo
#   free-live     A: free                        B: cat /proc/meminfo
#
# Each scenario runs twice: in the caller's locale (as a user would run
# it; with LANG=C.UTF-8, cat's setlocale() opens ~13 locale files, which
# fragscope does not) and with LC_ALL=C for both A and B (label ".../C"),
# the stricter floor where cat does no locale work.
#
# For report-root, DIR is --root DIR if given, else a fresh snapshot taken
# with "fragscope snapshot" into a temporary directory (about 130 MB here;
# removed at exit).  Paths must not contain blanks.
# If strace is installed, the file lists are first checked against the
# files fragscope actually opens; a mismatch stops the run.
#
# Output: per scenario, medians of A and B, the median and p10/p90 of the
# per-round ratio A/B; a final table in markdown.  Run as root so that
# /proc/pagetypeinfo is readable (otherwise fragscope and cat differ).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=
rounds=200
warmup=10
root=
rawdir=

while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--root) root=$2; shift 2 ;;
	--raw) rawdir=$2; shift 2 ;;
	-h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bench-report.sh: unknown option $1" >&2; exit 2 ;;
	*) bin=$1; shift ;;
	esac
done
[ -n "$bin" ] || bin=$top/build-bench/fragscope
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ ! -x "$bin" ]; then
	echo "bench-report.sh: $bin is not an executable; build it first:" >&2
	echo "  meson setup build-bench --buildtype=release && ninja -C build-bench fragscope" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fragscope-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -std=c17 -Wall -o "$tmp/timeit" "$here/timeit.c"

if [ "$(id -u)" != 0 ]; then
	echo "bench-report.sh: warning: not root; /proc/pagetypeinfo may be unreadable" >&2
fi

# The files "fragscope --json" (the report) reads, in its order: the
# report's input mask (src/cli/cmd-report.c) as laid out by
# src/parse/load.c, then the kernel release.  Under a snapshot root it also
# reads the snapshot's manifest.
report_rel="proc/meminfo proc/vmstat proc/buddyinfo proc/pagetypeinfo proc/zoneinfo"
# ... and the NUMA node files under sys/devices/system/node (the report
# also lists that directory and each node's hugepages/, which cat cannot
# do; that listing is fragscope's own extra work and stays in its time).
node_rel() { # BASE: the node files present under BASE, relative to it
	(cd "$1" && ls -d sys/devices/system/node/has_memory \
		sys/devices/system/node/node[0-9]*/distance \
		sys/devices/system/node/node[0-9]*/meminfo \
		sys/devices/system/node/node[0-9]*/hugepages/hugepages-*/*_hugepages 2>/dev/null |
		grep -E '/(has_memory|distance|meminfo|nr_hugepages|free_hugepages|surplus_hugepages)$')
}
live_files=
for f in $report_rel $(node_rel /) proc/sys/kernel/osrelease; do live_files="$live_files /$f"; done

if [ -z "$root" ]; then
	root=$tmp/snap
	"$bin" snapshot "$root" >/dev/null
fi
root=$(cd "$root" && pwd)
root_files=
for f in $report_rel $(node_rel "$root"); do root_files="$root_files $root/$f"; done
[ -e "$root/fragscope-snapshot.json" ] && root_files="$root_files $root/fragscope-snapshot.json"
root_files="$root_files $root/proc/sys/kernel/osrelease"

# Check the lists against what fragscope opens (after the dynamic loader).
opened() { # ROOT-PREFIX ARGS...: paths fragscope opens successfully, one a line
	prefix=$1; shift
	strace -f -qq -e trace=openat,open,openat2 -o "$tmp/strace" "$bin" "$@" >/dev/null 2>&1 || true
	grep -v -e ' = -1 ' -e '/etc/ld.so' -e '\.so[."]' "$tmp/strace" |
		sed -n 's/.*open[a-z0-9]*([^"]*"\([^"]*\)".*/\1/p' |
		while read -r p; do
			case $p in
			/*) [ "$p" = "$prefix" ] || p=$p ;;
			*) p=$prefix/$p ;;
			esac
			# Directories are listed, not read: cat has no equivalent.
			[ "$p" = "$prefix" ] || [ -d "$p" ] || echo "$p"
		done
}
check() { # EXPECTED-LIST ROOT-PREFIX ARGS...
	# shellcheck disable=SC2086
	want=$(printf '%s\n' $1 | sort)
	shift
	got=$(opened "$@" | sort)
	if [ "$want" != "$got" ]; then
		echo "bench-report.sh: fragscope $* reads other files than the reference cats:" >&2
		echo "  reference: $want" | tr '\n' ' ' >&2; echo >&2
		echo "  fragscope: $got" | tr '\n' ' ' >&2; echo >&2
		exit 1
	fi
}
if command -v strace >/dev/null 2>&1; then
	check "$live_files" "" --json
	check "$root_files" "$root" --root "$root" --json
	echo "file lists checked with strace"
else
	echo "strace not found: file lists not checked" >&2
fi

echo "binary: $bin"
echo "rounds: $rounds (+$warmup warm-up), alternating A then B"
echo

rows=$tmp/rows
: >"$rows"
run() { # LABEL A... :: B...   (once in the caller's locale, once with LC_ALL=C)
	label=$1; shift
	for loc in inherit C; do
		l=$label
		[ "$loc" = C ] && l="$label/C"
		raw=
		[ -n "$rawdir" ] && raw="-r $rawdir/$(echo "$l" | tr / -).tsv"
		if [ "$loc" = C ]; then
			# shellcheck disable=SC2086
			env LC_ALL=C "$tmp/timeit" -n "$rounds" -w "$warmup" -l "$l" $raw -- "$@" >"$tmp/out"
		else
			# shellcheck disable=SC2086
			"$tmp/timeit" -n "$rounds" -w "$warmup" -l "$l" $raw -- "$@" >"$tmp/out"
		fi
		grep -v '^ROW' "$tmp/out"
		grep '^ROW' "$tmp/out" | cut -f2- >>"$rows"
		echo
	done
}
[ -n "$rawdir" ] && mkdir -p "$rawdir"

# shellcheck disable=SC2086
run report-live "$bin" --json :: cat $live_files
# shellcheck disable=SC2086
run report-root "$bin" --root "$root" --json :: cat $root_files
run mem-live "$bin" mem --json :: cat /proc/meminfo
if command -v free >/dev/null 2>&1; then
	run free-live free :: cat /proc/meminfo
fi

echo "| scenario | A median (us) | B median (us) | ratio A/B median | p10 | p90 |"
echo "|---|---:|---:|---:|---:|---:|"
while IFS='	' read -r l ma mb r p10 p90; do
	echo "| $l | $ma | $mb | $r | $p10 | $p90 |"
done <"$rows"
