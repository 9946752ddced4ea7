#!/bin/sh
# procs-rollup-sums.sh - `fragscope procs` against the smaps_rollup and
# status files it reads, recomputed here with awk and jq.
#
# Over the fixture roots x86_64-6.18-procs and bad-procs-rollup, for every
# process directory: PSS, USS (Private_Clean + Private_Dirty) and SWAP
# printed by `procs -b -r` and the pss_bytes, uss_bytes, swap_bytes and
# swap_pss_bytes of `procs -J` must equal the values awk reads from that
# process's smaps_rollup; RSS must equal status VmRSS; a process without a
# readable smaps_rollup must show "-" and null; and the totals must equal
# the sums over the files.  One line per mismatch; exit 1 if any.
set -u
: "${FRAGSCOPE:?}" "${FIXTURES:?}"
export LC_ALL=C NO_COLOR=1

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
checks=0
bad() {
	echo "$*"
	fail=1
}

# kb FILE KEY: the value of "KEY: N kB" in FILE, in bytes; empty if absent.
kb() {
	awk -v k="$2:" '$1 == k { print $2 * 1024; exit }' "$1"
}

for name in x86_64-6.18-procs bad-procs-rollup; do
	root=$FIXTURES/roots/$name
	"$FRAGSCOPE" --root "$root" procs -b -r -n -o pid,rss,pss,uss,swap >"$tmp/text" 2>"$tmp/err"
	"$FRAGSCOPE" --root "$root" procs -J >"$tmp/json" 2>>"$tmp/err"
	jq -e . "$tmp/json" >/dev/null || { bad "$name: procs -J is not valid JSON"; continue; }
	tpss=0 tuss=0 trss=0 npss=0
	for dir in "$root"/proc/[0-9]*; do
		pid=${dir##*/}
		# Kernel threads are not listed: nothing to compare.
		grep -q '^Kthread:[[:space:]]*1' "$dir/status" && continue
		row=$(awk -v p="$pid" '$1 == p' "$tmp/text")
		[ -n "$row" ] || { bad "$name: pid $pid missing from the text table"; continue; }
		set -- $row
		rss=$(kb "$dir/status" VmRSS)
		checks=$((checks + 1))
		[ "$2" = "$rss" ] || bad "$name $pid: RSS $2, status VmRSS says $rss"
		jrss=$(jq -r ".processes[] | select(.pid == $pid) | .rss_bytes" "$tmp/json")
		[ "$jrss" = "$rss" ] || bad "$name $pid: rss_bytes $jrss, status VmRSS says $rss"
		trss=$((trss + rss))
		r=$dir/smaps_rollup
		# Readable and well-formed: every counter line is "Key: N kB".
		if [ -r "$r" ] && awk 'NR > 1 && !($2 ~ /^[0-9]+$/ && $3 == "kB") { exit 1 }' "$r"; then
			pss=$(kb "$r" Pss)
			uss=$(( $(kb "$r" Private_Clean) + $(kb "$r" Private_Dirty) ))
			swap=$(kb "$r" Swap)
			swappss=$(kb "$r" SwapPss)
			checks=$((checks + 4))
			[ "$3 $4 $5" = "$pss $uss $swap" ] ||
				bad "$name $pid: text PSS USS SWAP '$3 $4 $5', smaps_rollup says '$pss $uss $swap'"
			j=$(jq -r ".processes[] | select(.pid == $pid) |
				\"\(.pss_bytes) \(.uss_bytes) \(.swap_bytes) \(.swap_pss_bytes)\"" "$tmp/json")
			[ "$j" = "$pss $uss $swap $swappss" ] ||
				bad "$name $pid: JSON '$j', smaps_rollup says '$pss $uss $swap $swappss'"
			tpss=$((tpss + pss))
			tuss=$((tuss + uss))
			npss=$((npss + 1))
		else
			checks=$((checks + 2))
			[ "$3 $4" = "- -" ] || bad "$name $pid: no usable smaps_rollup, yet PSS USS '$3 $4'"
			j=$(jq -r ".processes[] | select(.pid == $pid) | \"\(.pss_bytes) \(.uss_bytes)\"" "$tmp/json")
			[ "$j" = "null null" ] || bad "$name $pid: no usable smaps_rollup, yet JSON '$j'"
		fi
	done
	checks=$((checks + 1))
	t=$(jq -r '.totals | "\(.rss_bytes) \(.pss_bytes) \(.uss_bytes) \(.pss_processes)"' "$tmp/json")
	[ "$t" = "$trss $tpss $tuss $npss" ] || bad "$name: JSON totals '$t', the files sum to '$trss $tpss $tuss $npss'"
done

if [ "$fail" -ne 0 ]; then
	echo "FAIL (stderr of the runs:)"
	cat "$tmp/err"
	exit 1
fi
echo "ok: $checks values of procs equal what the status and smaps_rollup files say"
