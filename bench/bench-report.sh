#!/bin/sh
# bench-report.sh - time fragscope against cat of the files it reads.
#
#   bench/bench-report.sh [BINARY] [--rounds N] [--warmup N] [--root DIR] [--raw DIR]
#                         [--only SCENARIO[,SCENARIO...]]
#
# BINARY defaults to build-bench/fragscope (relative to the source tree);
# this script builds nothing of fragscope.  It compiles bench/timeit.c with
# "cc -O2" into a temporary directory, then runs these scenarios, each one
# alternating A and B for N rounds (default 200) and timing every run:
#
#   report-live    A: fragscope --json             B: cat <the files it reads>
#   report-root    A: fragscope --root DIR --json  B: cat <the files it reads under DIR>
#   mem-live       A: fragscope mem --json         B: cat /proc/meminfo
#   free-live      A: free                         B: cat /proc/meminfo
#   predict-live   A: fragscope predict --order 9 --count 100000 --json
#                                                  B: cat <the files it reads>
#   frag-live      A: fragscope frag --json        B: cat <the files it reads>
#   hugepages-live A: fragscope hugepages --json   B: cat <the files it reads>
#   slab-vs-slabtop          A: fragscope slab            B: slabtop -o
#   slab-vs-cat              A: fragscope slab            B: cat /proc/slabinfo
#   slab-nosysfs-vs-slabtop  A: fragscope slab --no-sysfs B: slabtop -o
#   maps-vs-cat     A: fragscope maps PID          B: cat /proc/PID/maps
#   maps-vs-pmap    A: fragscope maps PID          B: pmap PID
#   mapsJ-vs-cat    A: fragscope maps -J PID       B: cat /proc/PID/maps
#   mapsx-vs-cat    A: fragscope maps -x PID       B: cat /proc/PID/smaps
#   mapsx-vs-pmapx  A: fragscope maps -x PID       B: pmap -x PID
#
# The maps scenarios (issue 5) run against a process with 60,000 VMAs
# made by bench/mkvmas.c (compiled here, killed at exit); the smaps ones
# use --maps-rounds N rounds (default 31: one smaps read costs ~0.2 s).
# Besides the file, fragscope maps reads /proc/PID/cmdline and the kernel
# release (two small files), as pmap reads the command line.
#
# The slab scenarios (issue 4) have no cat of the same files: with its
# sysfs detail, fragscope slab also reads about 500 files under
# /sys/kernel/slab and its symlinks, which slabtop and the cat do not.
# They need /proc/slabinfo to be readable (root) and are skipped
# otherwise; the slabtop ones also need slabtop (procps).
#
# --only runs just the named scenarios (comma-separated, in the order
# above), e.g. "--only predict-live" or "--only report-live,frag-live".
# Without it, all run.
#
# Each scenario runs twice: in the caller's locale (as a user would run
# it; with LANG=C.UTF-8, cat's setlocale() opens ~13 locale files, which
# fragscope does not) and with LC_ALL=C for both A and B (label ".../C"),
# the stricter floor where cat does no locale work.
#
# For report-root, DIR is --root DIR if given, else a fresh snapshot taken
# with "fragscope snapshot" into a temporary directory (about 130 MB here;
# removed at exit; only taken when report-root runs).  Paths must not
# contain blanks.
# If strace is installed, the file list of each selected scenario is first
# checked against the files fragscope actually opens; a mismatch stops the
# run.  For the slab scenarios the check is that fragscope opens nothing
# outside /sys/kernel/slab but /proc/slabinfo and the kernel release (and
# with --no-sysfs nothing under it); the files it opens there, the
# symlinks it reads, and what slabtop -o opens are counted and printed.
#
# predict exits 1 by design when fewer than K allocations would succeed
# (--count 100000 of order 9 is 195 GiB), so the script runs it once first
# and has timeit expect that status (0 or 1); any other status, or a
# change of status during the run, stops it.
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
only=
all_scenarios="report-live report-root mem-live free-live predict-live frag-live hugepages-live"
all_scenarios="$all_scenarios slab-vs-slabtop slab-vs-cat slab-nosysfs-vs-slabtop"
all_scenarios="$all_scenarios maps-vs-cat maps-vs-pmap mapsJ-vs-cat mapsx-vs-cat mapsx-vs-pmapx"
maps_rounds=31

while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--warmup) warmup=$2; shift 2 ;;
	--root) root=$2; shift 2 ;;
	--raw) rawdir=$2; shift 2 ;;
	--maps-rounds) maps_rounds=$2; shift 2 ;;
	--only) only="$only $(echo "$2" | tr ',' ' ')"; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	-*) echo "bench-report.sh: unknown option $1" >&2; exit 2 ;;
	*) bin=$1; shift ;;
	esac
done
for s in $only; do
	case " $all_scenarios " in
	*" $s "*) ;;
	*) echo "bench-report.sh: unknown scenario $s (one of: $all_scenarios)" >&2; exit 2 ;;
	esac
done
want() { # SCENARIO: whether it is selected
	[ -z "$only" ] && return 0
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}
[ -n "$bin" ] || bin=$top/build-bench/fragscope
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
if [ ! -x "$bin" ]; then
	echo "bench-report.sh: $bin is not an executable; build it first:" >&2
	echo "  meson setup build-bench --buildtype=release && ninja -C build-bench fragscope" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fragscope-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
cc -O2 -std=c17 -Wall -o "$tmp/timeit" "$here/timeit.c"

if [ "$(id -u)" != 0 ]; then
	echo "bench-report.sh: warning: not root; /proc/pagetypeinfo may be unreadable" >&2
fi

# The files each command reads, in its order: the command's input mask
# (src/cli/cmd-*.c) as laid out by src/parse/load.c (meminfo, vmstat,
# buddyinfo, pagetypeinfo, zoneinfo, the vm sysctls, the node files,
# slabinfo), then the kernel release.  The report reads /proc/slabinfo
# (since 50d7d7d, "slab"; not /sys/kernel/slab).  Under a snapshot root the
# report also reads the snapshot's manifest.
report_rel="proc/meminfo proc/vmstat proc/buddyinfo proc/pagetypeinfo proc/zoneinfo"
predict_rel="proc/meminfo proc/buddyinfo proc/pagetypeinfo proc/zoneinfo"   # meminfo since 033c4a9
frag_rel="proc/buddyinfo proc/zoneinfo"
hugepages_rel="proc/meminfo proc/buddyinfo proc/pagetypeinfo proc/zoneinfo"
# The vm sysctls (src/parse/load.c, sysvm_files) present under BASE; a
# missing one is skipped by fragscope and so by cat.
sysvm_rel() { # BASE
	for f in min_free_kbytes watermark_scale_factor lowmem_reserve_ratio \
		extfrag_threshold compaction_proactiveness; do
		[ -e "$1/proc/sys/vm/$f" ] && echo "proc/sys/vm/$f"
	done
	return 0
}
# The NUMA node files under sys/devices/system/node (fragscope also lists
# that directory and each node's hugepages/, which cat cannot do; that
# listing is fragscope's own extra work and stays in its time).
node_rel() { # BASE: the node files present under BASE, relative to it
	(cd "$1" && ls -d sys/devices/system/node/has_memory \
		sys/devices/system/node/node[0-9]*/distance \
		sys/devices/system/node/node[0-9]*/meminfo \
		sys/devices/system/node/node[0-9]*/hugepages/hugepages-*/*_hugepages 2>/dev/null |
		grep -E '/(has_memory|distance|meminfo|nr_hugepages|free_hugepages|surplus_hugepages)$')
}
abs() { # PREFIX REL...: PREFIX/REL for each (PREFIX "" for the live system)
	p=$1; shift
	for f in "$@"; do printf ' %s/%s' "$p" "$f"; done
}
# shellcheck disable=SC2046,SC2086
live_files=$(abs "" $report_rel $(sysvm_rel /) $(node_rel /) proc/slabinfo proc/sys/kernel/osrelease)
# shellcheck disable=SC2046,SC2086
predict_files=$(abs "" $predict_rel $(sysvm_rel /) $(node_rel /) proc/sys/kernel/osrelease)
# shellcheck disable=SC2046,SC2086
frag_files=$(abs "" $frag_rel $(sysvm_rel /) proc/sys/kernel/osrelease)
# shellcheck disable=SC2046,SC2086
hugepages_files=$(abs "" $hugepages_rel $(sysvm_rel /) $(node_rel /) proc/sys/kernel/osrelease)
predict_args="predict --order 9 --count 100000 --json"

if want report-root; then
	if [ -z "$root" ]; then
		root=$tmp/snap
		"$bin" snapshot "$root" >/dev/null
	fi
	root=$(cd "$root" && pwd)
	# shellcheck disable=SC2046,SC2086
	root_files=$(abs "$root" $report_rel $(sysvm_rel "$root") $(node_rel "$root"))
	[ -e "$root/proc/slabinfo" ] && root_files="$root_files $root/proc/slabinfo"
	[ -e "$root/fragscope-snapshot.json" ] && root_files="$root_files $root/fragscope-snapshot.json"
	root_files="$root_files $root/proc/sys/kernel/osrelease"
fi

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
	expected=$(printf '%s\n' $1 | sort)
	shift
	got=$(opened "$@" | sort)
	if [ "$expected" != "$got" ]; then
		shift
		echo "bench-report.sh: fragscope $* reads other files than the reference cats:" >&2
		echo "  reference: $expected" | tr '\n' ' ' >&2; echo >&2
		echo "  fragscope: $got" | tr '\n' ' ' >&2; echo >&2
		exit 1
	fi
}

# The slab scenarios: fragscope must be able to read /proc/slabinfo (root),
# or it exits 4 and timeit would stop the run.
slab_any=false
if want slab-vs-slabtop || want slab-vs-cat || want slab-nosysfs-vs-slabtop; then
	slab_any=true
	if ! "$bin" slab >/dev/null 2>&1; then
		echo "bench-report.sh: fragscope slab fails (not root?): slab scenarios skipped" >&2
		slab_any=false
	fi
fi
have_slabtop=false
command -v slabtop >/dev/null 2>&1 && have_slabtop=true

# strace with the paths of fds (-y): what a command opens, the symlinks it
# reads and the directories it lists, into $tmp/strace.slab.
slab_trace() { # [VAR=VALUE...] CMD ARGS...
	envopts=
	while [ $# -gt 1 ]; do
		case $1 in
		*=*) envopts="$envopts -E $1"; shift ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2086
	strace $envopts -f -qq -y -e trace=openat,open,openat2,readlinkat,getdents64 \
		-o "$tmp/strace.slab" "$@" >/dev/null 2>&1 || true
}
slab_opened() { # files (not directories) opened successfully after the dynamic loader, one a line
	grep -E '(^|[ ])open(at|at2)?\(' "$tmp/strace.slab" | grep -v ' = -1 ' |
		sed -n 's/.* = [0-9][0-9]*<\(.*\)>$/\1/p' |
		grep -v -e '^/etc/ld\.so' -e '\.so[.0-9]*$' |
		while read -r p; do [ -d "$p" ] || echo "$p"; done
}
slab_calls() { # SYSCALL: successful calls of it in $tmp/strace.slab
	grep -E "(^|[ ])$1\\(" "$tmp/strace.slab" | grep -vc ' = -1 ' || true
}
slab_describe() { # LABEL [ENV...] CMD ARGS...: one line on what the command opens
	label=$1; shift
	slab_trace "$@"
	got=$(slab_opened)
	n=$(printf '%s\n' "$got" | grep -c . || true)
	# Locale data, gconv and the locale alias file (a link to /etc).
	loc='^/usr/lib/locale/|^/usr/share/locale/|/gconv/|^/etc/locale\.alias$'
	nloc=$(printf '%s\n' "$got" | grep -c -E "$loc" || true)
	rest=$(printf '%s\n' "$got" | grep -v -E "$loc" | tr '\n' ' ')
	echo "  $label opens $n file(s) after the dynamic loader: ${rest}and $nloc locale file(s)"
}
slab_check() { # what fragscope slab opens outside and inside /sys/kernel/slab
	slab_trace "$bin" slab
	got=$(slab_opened)
	outside=$(printf '%s\n' "$got" | grep -v '^/sys/kernel/slab/' | sort)
	expected=$(printf '%s\n' /proc/slabinfo /proc/sys/kernel/osrelease | sort)
	if [ "$outside" != "$expected" ]; then
		echo "bench-report.sh: fragscope slab opens other files than /proc/slabinfo, the kernel release and /sys/kernel/slab:" >&2
		echo "  $outside" | tr '\n' ' ' >&2; echo >&2
		exit 1
	fi
	sys=$(printf '%s\n' "$got" | grep '^/sys/kernel/slab/')
	nsys=$(printf '%s\n' "$sys" | grep -c . || true)
	ncache=$(printf '%s\n' "$sys" | sed 's#^/sys/kernel/slab/\([^/]*\)/.*#\1#' | sort -u | grep -c . || true)
	names=$(printf '%s\n' "$sys" | sed 's#.*/##' | sort | uniq -c | sort -rn |
		awk '{ printf "%s%s %s", sep, $2, $1; sep = ", " }')
	echo "  fragscope slab opens $((nsys + 2)) files after the dynamic loader: /proc/slabinfo, /proc/sys/kernel/osrelease"
	echo "    and $nsys under /sys/kernel/slab in $ncache cache directories ($names);"
	echo "    it also reads $(slab_calls readlinkat) symlinks there and lists it ($(slab_calls getdents64) getdents64)"
	echo "  (/sys/kernel/slab here: $(find /sys/kernel/slab -mindepth 1 -maxdepth 1 -type d | wc -l) cache directories," \
		"$(find /sys/kernel/slab -mindepth 1 -maxdepth 1 -type l | wc -l) symlinks)"
}

if command -v strace >/dev/null 2>&1; then
	if $slab_any; then
		echo "slab inputs (strace):"
		slab_check
		if want slab-nosysfs-vs-slabtop; then
			check "/proc/slabinfo /proc/sys/kernel/osrelease" "" slab --no-sysfs
			echo "  fragscope slab --no-sysfs opens /proc/slabinfo /proc/sys/kernel/osrelease"
		fi
		if $have_slabtop && { want slab-vs-slabtop || want slab-nosysfs-vs-slabtop; }; then
			slab_describe "slabtop -o" slabtop -o
			slab_describe "slabtop -o (LC_ALL=C)" LC_ALL=C slabtop -o
		fi
		if want slab-vs-cat; then
			slab_describe "cat /proc/slabinfo" cat /proc/slabinfo
			slab_describe "cat /proc/slabinfo (LC_ALL=C)" LC_ALL=C cat /proc/slabinfo
		fi
	fi
	want report-live && check "$live_files" "" --json
	want report-root && check "$root_files" "$root" --root "$root" --json
	# shellcheck disable=SC2086
	want predict-live && check "$predict_files" "" $predict_args
	want frag-live && check "$frag_files" "" frag --json
	want hugepages-live && check "$hugepages_files" "" hugepages --json
	echo "file lists checked with strace"
else
	echo "strace not found: file lists not checked" >&2
fi

# predict's exit status (0: all K would succeed, 1: not) is part of its
# result, not a failure; timeit must expect it.
predict_status=0
if want predict-live; then
	# shellcheck disable=SC2086
	"$bin" $predict_args >/dev/null 2>&1 || predict_status=$?
	case $predict_status in
	0|1) ;;
	*) echo "bench-report.sh: fragscope $predict_args exits $predict_status" >&2; exit 1 ;;
	esac
fi

echo "binary: $bin"
echo "rounds: $rounds (+$warmup warm-up), alternating A then B"
want predict-live && echo "predict exit status: $predict_status (expected in every run)"
echo

rows=$tmp/rows
: >"$rows"
run() { # LABEL [-a STATUS] A... :: B...   (once in the caller's locale, once with LC_ALL=C)
	label=$1; shift
	expect=
	if [ "$1" = -a ]; then
		expect="-a $2"; shift 2
	fi
	for loc in inherit C; do
		l=$label
		[ "$loc" = C ] && l="$label/C"
		raw=
		[ -n "$rawdir" ] && raw="-r $rawdir/$(echo "$l" | tr / -).tsv"
		if [ "$loc" = C ]; then
			# shellcheck disable=SC2086
			env LC_ALL=C "$tmp/timeit" -n "$rounds" -w "$warmup" -l "$l" $expect $raw -- "$@" >"$tmp/out"
		else
			# shellcheck disable=SC2086
			"$tmp/timeit" -n "$rounds" -w "$warmup" -l "$l" $expect $raw -- "$@" >"$tmp/out"
		fi
		grep -v '^ROW' "$tmp/out"
		grep '^ROW' "$tmp/out" | cut -f2- >>"$rows"
		echo
	done
}
[ -n "$rawdir" ] && mkdir -p "$rawdir"

# shellcheck disable=SC2086
want report-live && run report-live "$bin" --json :: cat $live_files
# shellcheck disable=SC2086
want report-root && run report-root "$bin" --root "$root" --json :: cat $root_files
want mem-live && run mem-live "$bin" mem --json :: cat /proc/meminfo
if want free-live; then
	if command -v free >/dev/null 2>&1; then
		run free-live free :: cat /proc/meminfo
	else
		echo "free not found: free-live skipped" >&2
	fi
fi
# shellcheck disable=SC2086
want predict-live && run predict-live -a "$predict_status" "$bin" $predict_args :: cat $predict_files
# shellcheck disable=SC2086
want frag-live && run frag-live "$bin" frag --json :: cat $frag_files
# shellcheck disable=SC2086
want hugepages-live && run hugepages-live "$bin" hugepages --json :: cat $hugepages_files
# The slab scenarios: A and B both write to /dev/null (timeit), so neither
# sees a terminal.
if $slab_any; then
	if ! $have_slabtop && { want slab-vs-slabtop || want slab-nosysfs-vs-slabtop; }; then
		echo "slabtop not found: slab-vs-slabtop and slab-nosysfs-vs-slabtop skipped" >&2
	fi
	$have_slabtop && want slab-vs-slabtop && run slab-vs-slabtop "$bin" slab :: slabtop -o
	want slab-vs-cat && run slab-vs-cat "$bin" slab :: cat /proc/slabinfo
	$have_slabtop && want slab-nosysfs-vs-slabtop &&
		run slab-nosysfs-vs-slabtop "$bin" slab --no-sysfs :: slabtop -o
fi

# The maps scenarios: one process with 60,000 VMAs, alive for all of them.
maps_any=false
for s in maps-vs-cat maps-vs-pmap mapsJ-vs-cat mapsx-vs-cat mapsx-vs-pmapx; do
	want "$s" && maps_any=true
done
if $maps_any; then
	cc -O2 -o "$tmp/mkvmas" "$here/mkvmas.c"
	mkfifo "$tmp/mkvmas.in"
	"$tmp/mkvmas" <"$tmp/mkvmas.in" >"$tmp/mkvmas.out" &
	mk=$!
	exec 5>"$tmp/mkvmas.in"
	trap 'exec 5>&-; kill $mk 2>/dev/null; rm -rf "$tmp"' EXIT
	i=0
	while [ ! -s "$tmp/mkvmas.out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	read -r pid vmas <"$tmp/mkvmas.out"
	echo "maps: PID $pid with $vmas lines in /proc/$pid/maps"
	have_pmap=false
	command -v pmap >/dev/null 2>&1 && have_pmap=true
	want maps-vs-cat && run maps-vs-cat "$bin" maps "$pid" :: cat "/proc/$pid/maps"
	$have_pmap && want maps-vs-pmap && run maps-vs-pmap "$bin" maps "$pid" :: pmap "$pid"
	want mapsJ-vs-cat && run mapsJ-vs-cat "$bin" maps -J "$pid" :: cat "/proc/$pid/maps"
	r=$rounds
	rounds=$maps_rounds
	want mapsx-vs-cat && run mapsx-vs-cat "$bin" maps -x "$pid" :: cat "/proc/$pid/smaps"
	$have_pmap && want mapsx-vs-pmapx && run mapsx-vs-pmapx "$bin" maps -x "$pid" :: pmap -x "$pid"
	rounds=$r
fi

echo "| scenario | A median (us) | B median (us) | ratio A/B median | p10 | p90 |"
echo "|---|---:|---:|---:|---:|---:|"
while IFS='	' read -r l ma mb r p10 p90; do
	echo "| $l | $ma | $mb | $r | $p10 | $p90 |"
done <"$rows"
