#!/bin/sh
# bench-export.sh - time fragscope export against cat of the files it reads.
#
#   bench/bench-export.sh [BINARY] [--rounds N] [--warmup N] [--raw DIR]
#
# BINARY defaults to build-bench/fragscope (a release build:
#   meson setup build-bench --buildtype=release && ninja -C build-bench fragscope).
# Compiles bench/timeit.c with "cc -O2" into a temporary directory and runs,
# alternating A and B for N rounds (default 200, after 10 warm-up rounds),
# timing every run:
#
#   export           A: fragscope export              B: cat <the files it reads>
#   export-noslab    A: fragscope export --select buddy,frag,watermarks,predict,hugepages,meminfo,compaction
#                                                     B: cat <the files it reads>
#
# The file lists are what export actually opens, taken with strace (needed:
# apt-get install strace): every file opened successfully after the dynamic
# loader, not the directories it lists (cat has no equivalent; listing
# /sys/kernel/slab and the node directories stays in fragscope's time).
# With every group that is /proc/{meminfo,vmstat,buddyinfo,pagetypeinfo,
# zoneinfo,slabinfo}, the vm sysctls, the node files, the kernel release
# and, for the slab group, about three files per cache under
# /sys/kernel/slab (object_size, partial, reclaim_account; fewer for empty
# caches: src/parse/load-slab.c).  Each scenario runs in the caller's
# locale and with LC_ALL=C for both (label ".../C").  Run as root:
# pagetypeinfo, slabinfo and /sys/kernel/slab are root-only.
#
# Output: per scenario the medians of A and B and the median, p10 and p90
# of the per-round ratio A/B, then a markdown table.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=
rounds=200
warmup=10
rawdir=
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--raw) rawdir=$2; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	-*) echo "bench-export.sh: unknown option $1" >&2; exit 2 ;;
	*) bin=$1; shift ;;
	esac
done
[ -n "$bin" ] || bin=$top/build-bench/fragscope
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ ! -x "$bin" ]; then
	echo "bench-export.sh: $bin is not an executable; build it first:" >&2
	echo "  meson setup build-bench --buildtype=release && ninja -C build-bench fragscope" >&2
	exit 2
fi
command -v strace >/dev/null 2>&1 || { echo "bench-export.sh: needs strace" >&2; exit 2; }
[ "$(id -u)" = 0 ] || echo "bench-export.sh: warning: not root; export and cat read fewer files" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fragscope-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cc -O2 -std=c17 -Wall -o "$tmp/timeit" "$here/timeit.c"

files_of() { # ARGS...: the files "fragscope ARGS" opens (not directories), one a line
	strace -f -qq -y -e trace=openat,open,openat2 -o "$tmp/strace" "$bin" "$@" >/dev/null 2>&1 || true
	grep -v ' = -1 ' "$tmp/strace" | sed -n 's/.* = [0-9][0-9]*<\(.*\)>$/\1/p' |
		grep -v -e '^/etc/ld\.so' -e '\.so[.0-9]*$' |
		while read -r p; do [ -d "$p" ] || echo "$p"; done
}

rows=$tmp/rows
: >"$rows"
scenario() { # LABEL ARGS...: A = fragscope ARGS, B = cat of what it opened
	label=$1; shift
	files_of "$@" >"$tmp/files"
	n=$(wc -l <"$tmp/files")
	nsys=$(grep -c '^/sys/kernel/slab/' "$tmp/files" || true)
	echo "== $label: fragscope $* opens $n files ($nsys under /sys/kernel/slab)"
	# shellcheck disable=SC2046
	set -- "$bin" "$@" :: cat $(cat "$tmp/files")
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

scenario export export
scenario export-noslab export --select buddy,frag,watermarks,predict,hugepages,meminfo,compaction

echo "| scenario | A median (µs) | B median (µs) | ratio median | p10 | p90 |"
echo "|---|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %.0f | %.0f | %.3f | %.3f | %.3f |\n", $1, $2, $3, $4, $5, $6 }' "$rows"
