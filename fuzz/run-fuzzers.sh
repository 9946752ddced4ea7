#!/bin/sh
# run-fuzzers.sh - build the libFuzzer harnesses, seed their corpora from
# tests/fixtures and run each for a fixed time.
#
# usage: fuzz/run-fuzzers.sh [-b BUILDDIR] [-j JOBS] [SECONDS [HARNESS...]]
#
#   SECONDS   time per harness (default 120), passed as -max_total_time
#   HARNESS   names without the "fuzz-" prefix (default: all of them)
#   -b DIR    clang build directory (default: build-fuzz in the source
#             tree; configured with ASan+UBSan if it does not exist)
#   -j JOBS   harnesses run at the same time (default 1)
#
# Corpora live in fuzz-corpus/<harness>/ (gitignored) and grow from run
# to run; the real kernel files from tests/fixtures are copied in as
# seeds each time (named by content hash, so nothing is duplicated).
# Logs go to fuzz-corpus/logs/<harness>.log.  A crashing, leaking or
# hanging input is saved as fuzz/crashes/<harness>-<n>.
#
# Prints one line per harness with libFuzzer's final "Done N runs in S
# second(s)" and exits 1 if any harness failed.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-fuzz
jobs=1
while getopts b:j:h opt; do
	case $opt in
	b) build=$OPTARG ;;
	j) jobs=$OPTARG ;;
	h) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "usage: $0 [-b BUILDDIR] [-j JOBS] [SECONDS [HARNESS...]]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
secs=${1:-120}
[ $# -gt 0 ] && shift
all="meminfo node-meminfo vmstat buddyinfo pagetypeinfo zoneinfo slabinfo slabsys sysvm node maps status json openmetrics predict workload simzone trace tar slabsim"
harnesses=${*:-$all}

case $secs in
''|*[!0-9]*) echo "$0: SECONDS must be a number: '$secs'" >&2; exit 2 ;;
esac

fixtures=$src/tests/fixtures
corpus_root=$src/fuzz-corpus
crashes=$src/fuzz/crashes
mkdir -p "$corpus_root/logs"

# ---- build ----

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
targets=
for h in $harnesses; do
	case " $all " in
	*" $h "*) ;;
	*) echo "$0: unknown harness '$h' (have: $all)" >&2; exit 2 ;;
	esac
	targets="$targets fuzz/fuzz-$h"
done
# shellcheck disable=SC2086
if ! ninja -C "$build" $targets >"$corpus_root/logs/build.log" 2>&1; then
	cat "$corpus_root/logs/build.log" >&2
	echo "$0: building the harnesses failed" >&2
	exit 1
fi

# ---- seeds ----

# seed DIR [PREFIX_OCTAL] FILE...: copy each file into DIR under its hash,
# optionally after one selector byte (given as an octal escape).
seed() {
	dir=$1 prefix=$2
	shift 2
	mkdir -p "$dir"
	for f in "$@"; do
		[ -f "$f" ] || continue
		tmp=$dir/.seed.tmp
		if [ -n "$prefix" ]; then
			# shellcheck disable=SC2059
			printf "$prefix" >"$tmp"
			cat "$f" >>"$tmp"
		else
			cat "$f" >"$tmp"
		fi
		sum=$(sha1sum "$tmp" | cut -c1-40)
		mv "$tmp" "$dir/seed-$sum"
	done
}

# seed_text DIR PRINTF_FORMAT...: literal seeds (for files with no fixture).
seed_text() {
	dir=$1
	shift
	mkdir -p "$dir"
	for t in "$@"; do
		# shellcheck disable=SC2059
		printf "$t" >"$dir/.seed.tmp"
		sum=$(sha1sum "$dir/.seed.tmp" | cut -c1-40)
		mv "$dir/.seed.tmp" "$dir/seed-$sum"
	done
}

# Fixture files of one kind, from the kernel captures and the roots.
kind() {
	find "$fixtures/kernel" -type f -name "$1*" 2>/dev/null
	find "$fixtures/roots" -type f -path "*/proc/$1" 2>/dev/null
}

make_seeds() {
	d=$corpus_root/$1
	case $1 in
	meminfo|vmstat|buddyinfo|pagetypeinfo|zoneinfo|slabinfo)
		# shellcheck disable=SC2046
		seed "$d" "" $(kind "$1")
		;;
	slabsys)
		# "NAME\n" then the file (see fuzz-slabsys.c): every file of
		# the captured sys/kernel/slab directories, and a few forms
		# the captures lack.
		for f in $(find "$fixtures/roots" -type f -path '*/sys/kernel/slab/*/*'); do
			seed "$d" "$(basename "$f")\\n" "$f"
		done
		seed_text "$d" 'alloc_fastpath\n1234 C0=1000 C1=234\n' 'slabs\n10442 N3=5 N0=10437\n' \
			'ctor\nxfs_fs_inode_init_once+0x0/0x80 [xfs]\n' 'future_file\n7 whatever\n'
		;;
	node-meminfo)
		# Byte 0 is the node number; the captures are of node 0.
		# shellcheck disable=SC2046
		seed "$d" '\000' $(find "$fixtures" -type f \
			\( -name 'node*-meminfo' -o -path '*/node/node0/meminfo' \))
		# shellcheck disable=SC2046
		seed "$d" '\000' $(kind meminfo | head -n 4)
		;;
	sysvm)
		# Byte 0 selects the file: index into sysvm_files[].
		i=0
		for f in min_free_kbytes watermark_scale_factor \
			 lowmem_reserve_ratio extfrag_threshold \
			 compaction_proactiveness watermark_boost_factor; do
			# shellcheck disable=SC2046
			seed "$d" "\\00$i" $(find "$fixtures" -type f -path "*/proc/sys/vm/$f")
			i=$((i + 1))
		done
		seed_text "$d" '\00067584\n' '\00110\n' \
			'\002256\t256\t32\t0\t0\n' '\003500\n' '\00420\n' '\00515000\n'
		;;
	node)
		# shellcheck disable=SC2046
		seed "$d" "" $(find "$fixtures" -type f \( -name 'node*-distance' \
			-o -path '*/sys/devices/system/node/*' \) ! -name meminfo)
		seed_text "$d" '0\n' '0-3,8,10-11\n' '10 20 20 10\n' '512\n'
		;;
	maps)
		# Byte 0 selects the parser (see fuzz-maps.c): 0 maps, 1 smaps,
		# 2 smaps_rollup.  The large captures are left out (slow seeds).
		# shellcheck disable=SC2046
		seed "$d" '\000' $(find "$fixtures/kernel" -type f -name 'maps*' -size -64k)
		# shellcheck disable=SC2046
		seed "$d" '\001' $(find "$fixtures/kernel" -type f \( -name 'smaps.*' \
			-o -name smaps_short \) -size -64k)
		# shellcheck disable=SC2046
		seed "$d" '\002' $(find "$fixtures/kernel" -type f -name 'smaps_rollup*')
		seed_text "$d" '\0010-1 r-xp 0 0:0 0 [anon:x]\nName: [anon:x]\nFoo: 1\nProtectionKey: 0\nVmFlags: rd xx\n' \
			'\00200000000-00000000 ---p 00000000 00:00 0  [rollup]\nRss: 0 kB\n'
		;;
	status)
		# Byte 0 selects the parser (see fuzz-status.c): 0 status,
		# 1 passwd.  Every status of the fixture roots; passwd files
		# of the roots and a few hand-made lines.
		# shellcheck disable=SC2046
		seed "$d" '\000' $(find "$fixtures/roots" -type f -path '*/proc/*/status')
		# shellcheck disable=SC2046
		seed "$d" '\001' $(find "$fixtures/roots" -type f -path '*/etc/passwd')
		seed_text "$d" '\001root:x:0:0:root:/root:/bin/bash\n+::::::\nalice:x:1000:1000::/home/a:/bin/sh\n' \
			'\000Name:\tx y\nState:\tZ (zombie)\nUid:\t1\t2\t3\t4\nKthread:\t0\nThreads:\t1\n'
		;;
	predict)
		# zoneinfo, "%%", buddyinfo[, "%%", pagetypeinfo] of one
		# capture (see fuzz-predict.c).
		mkdir -p "$d"
		for r in "$fixtures"/roots/*/ "$fixtures"/kernel/*/; do
			z=$(ls "$r"proc/zoneinfo "$r"zoneinfo 2>/dev/null | head -n 1)
			b=$(ls "$r"proc/buddyinfo "$r"buddyinfo 2>/dev/null | head -n 1)
			t=$(ls "$r"proc/pagetypeinfo "$r"pagetypeinfo 2>/dev/null | head -n 1)
			[ -n "$z" ] && [ -n "$b" ] || continue
			{ cat "$z"; echo '%%'; cat "$b"; [ -n "$t" ] && { echo '%%'; cat "$t"; }; } \
				>"$d/.seed.tmp"
			sum=$(sha1sum "$d/.seed.tmp" | cut -c1-40)
			mv "$d/.seed.tmp" "$d/seed-$sum"
		done
		;;
	json)
		# Programs (see fuzz-json.c): legal and raw mode, nested
		# containers, keys, strings with escapes and bad UTF-8.
		seed_text "$d" \
			'\001\000\004\001a\006\001\000\000\000\000\000\000\000\002\005\003x\033y\007\377\377\377\377\377\377\377\177\010\000\000\000\000\000\000\370\077\002\011\001\012\003\001' \
			'\000\002\005\004\303\251\342\202\005\002\300\257\003' \
			'\001\000\004\002k\001\013\005a\000b\042\134\014\001' \
			'\000\000\001\001'
		# shellcheck disable=SC2046
		seed "$d" '\001' $(kind meminfo | head -n 2)
		;;
	openmetrics)
		# Programs (see fuzz-openmetrics.c): families, valid and not,
		# samples with quotes, backslashes, newlines, ESC, bad UTF-8.
		seed_text "$d" \
			'\000\001\000\002\002\004we"\134a\003\033x\n\001\000\000\000\000\000\000\000\003\000\377\377\377\377\377\377\377\377' \
			'\001\001\001\002\001\003\303\251\377\005\000\000\000\000\000\000\000\000\004bad-\001\002\000\001\000\000\000\000\000\000\000'
		;;
	workload)
		# Spec files (see sim/workload.h): phases, alloc lines, comments,
		# and the slab simulator's cache, objalloc, objfree and churn lines.
		seed_text "$d" \
			'# c\nphase a steps=100 target=90%% until=target\n  alloc order=0 gfp=GFP_KERNEL count=8 weight=3 life=exp:50\n  alloc order=9 gfp=THP life=fixed:10\nphase b steps=5 node=0\n' \
			'phase steps=1\nalloc order=3 gfp=atomic weight=0 life=forever\n' \
			'cache inode-like size=1120 align=8 flags=reclaim,ctor\nphase grow steps=600\n  objalloc cache=inode-like count=20 weight=2\n  objalloc cache=kmalloc-192 count=40\n  alloc order=0 gfp=GFP_HIGHUSER_MOVABLE count=32 life=exp:400 weight=3\nphase churn steps=600\n  churn cache=kmalloc-192 fraction=5%% pick=random weight=2\n  objfree cache=inode-like count=30 pick=oldest\n' \
			'cache x size=40000 flags=hwcache,rcu,redzone,poison,store_user\nphase p steps=1\nobjfree cache=x fraction=100%%\nchurn cache=x count=1000000 pick=oldest weight=0\n'
		# shellcheck disable=SC2046
		seed "$d" '' $(ls "$fixtures"/workloads/*.spec "$src"/bench/*.spec 2>/dev/null)
		;;
	trace)
		# The heads of the real traces in the replay roots (the second
		# has the buddy lists' own events too).
		mkdir -p "$d"
		for r in x86_64-6.18-replay x86_64-6.18-replay-buddy; do
			gzip -dc "$fixtures/roots/$r/kmem.trace.gz" 2>/dev/null |
				awk 'NR <= 200 || (/zone_locked|pcpu_drain/ && n++ < 100)' >"$d/.seed.tmp" || :
			sum=$(sha1sum "$d/.seed.tmp" | cut -c1-40)
			mv "$d/.seed.tmp" "$d/seed-$sum"
		done
		;;
	tar)
		# The archives of tests/fixtures/tars (good, links, and every
		# kind of bad one) and a small fixture root archived by GNU tar
		# in its default (gnu) format and as pax.
		# shellcheck disable=SC2046
		seed "$d" "" $(find "$fixtures/tars" -type f -name '*.tar')
		tar -C "$fixtures/roots/x86_64-6.18-combined" -cf "$d/.seed.tmp" proc 2>/dev/null &&
			mv "$d/.seed.tmp" "$d/seed-gnu-combined"
		tar --format=pax -C "$fixtures/roots/slab-duplicates" -cf "$d/.seed.tmp" . 2>/dev/null &&
			mv "$d/.seed.tmp" "$d/seed-pax-slab-duplicates"
		;;
	slabsim)
		# Programs (see fuzz-slabsim.c): a cache, then operations.
		seed_text "$d" \
			'\000\300\006\000\002\000\000\000\100\001\003\000\002\000\050\003\000\011\004\000\002\012\000\200' \
			'\027\160\003\037\001\003\001\000\001\002\000\001\003\000\004\000\000\010\002\000\002'
		;;
	simzone)
		# Programs (see fuzz-simzone.c): a zone, then operations.
		seed_text "$d" \
			'\012\011\003\020\000\001\000\000\001\000\011\002\001\000\000\002\005\007' \
			'\004\002\000\000\100\002\000\001\004\000\002\010\001\003\003\002\007\001'
		;;
	esac
}

# ---- run ----

# run_one HARNESS: run it, save any crash, print the summary line.
run_one() {
	h=$1
	bin=$build/fuzz/fuzz-$h
	log=$corpus_root/logs/$h.log
	art=$corpus_root/artifacts-$h
	rm -rf "$art"
	mkdir -p "$art"
	extra=
	[ "$h" = json ] && extra=-max_len=20000
	rc=0
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$art/" $extra "$corpus_root/$h" >"$log" 2>&1 || rc=$?
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
	if [ "$rc" -eq 0 ]; then
		printf '%-14s ok     %s\n' "$h" "$done_line"
		rm -rf "$art"
		return 0
	fi
	mkdir -p "$crashes"
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		n=1
		while [ -e "$crashes/$h-$n" ]; do
			n=$((n + 1))
		done
		mv "$a" "$crashes/$h-$n"
		printf '%-14s FAILED (exit %d) input saved as %s\n' "$h" "$rc" "fuzz/crashes/$h-$n"
	done
	rm -rf "$art"
	grep -E '^(SUMMARY|==[0-9]+==ERROR|fuzz|.*runtime error)' "$log" | head -n 5 | sed 's/^/    /'
	printf '    log: %s\n' "$log"
	[ -n "$done_line" ] && printf '    %s\n' "$done_line"
	return 1
}

for h in $harnesses; do
	make_seeds "$h"
done

failed=0
# shellcheck disable=SC2086
set -- $harnesses
while [ $# -gt 0 ]; do
	pids=
	k=0
	while [ $# -gt 0 ] && [ "$k" -lt "$jobs" ]; do
		( run_one "$1" ) &
		pids="$pids $!"
		shift
		k=$((k + 1))
	done
	for p in $pids; do
		wait "$p" || failed=1
	done
done

if [ "$failed" -ne 0 ]; then
	echo "fuzzing found problems: see fuzz/crashes/ and fuzz-corpus/logs/" >&2
	exit 1
fi
