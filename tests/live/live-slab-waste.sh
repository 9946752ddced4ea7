#!/bin/bash
# live-slab-waste.sh - for every slab cache of this machine, fragscope's
# WASTE must equal slabs x (PAGE_SIZE << order) - objects x object_size,
# computed here from the cache's own /sys/kernel/slab files (read by this
# script, not by fragscope).  The counters move, so each cache's check
# reads the files, runs fragscope for that cache (--filter '^NAME$'),
# reads the files again, and accepts a figure between the two; a cache
# gets 10 attempts.  Those attempts use --filter, which reads only that
# cache's sysfs files: a full read opens thousands of files and the kernel
# frees their kernfs_open_node (kmalloc-96) after an RCU grace period, so
# kmalloc-96 grew by about 2,700 objects while fragscope -J ran here.  Caches that cannot be
# checked are named with the reason: duplicate names (sysfs cannot tell
# them apart) and caches with no sysfs directory.
# A cache that moves with fragscope's own process in every attempt is
# checked against the sysfs values fragscope read (named in the output).
# Skips (77) when not root or without /sys/kernel/slab (SLAB, or no SLUB_DEBUG).
set -u
F=${FRAGSCOPE:?}
S=/sys/kernel/slab
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
[ -r $S/kmalloc-64/objects ] || [ -d $S ] || { echo "skip: no $S"; exit 77; }
page=$(getconf PAGESIZE)
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT



# The expected WASTE from the cache's sysfs files, with bash builtins only
# (no fork: starting a process moves the small kmalloc caches).
expected() { # NAME -> $want
	local d=$S/$1 o s ord sz rest
	want=
	[ -r "$d/objects" ] || return 1
	read -r o rest <"$d/objects"; read -r s rest <"$d/slabs"
	read -r ord <"$d/order"; read -r sz <"$d/object_size"
	want=$((s * (page << ord) - o * sz))
	[ $want -lt 0 ] && want=0
	return 0
}

# First pass: every cache at once, bracketed by two reads of all files.
declare -A before after
for d in "$S"/*/; do
	n=${d%/}; n=${n##*/}
	expected "$n" && before[$n]=$want
done
for l in "$S"/*; do
	[ -L "$l" ] || continue
	n=${l##*/}
	expected "$n" && before[$n]=$want
done
"$F" slab -J >"$tmp/all.json" 2>"$tmp/err" || { echo "not ok - fragscope slab -J failed: $(cat "$tmp/err")"; exit 1; }
for n in "${!before[@]}"; do
	expected "$n" && after[$n]=$want
done
# name objects slabs order object_size waste duplicate
jq -r '.caches[] | [.name, .active_objects, .slabs, .order, (.object_size_bytes // "none"), .waste_bytes, .duplicate_name] | @tsv' \
	"$tmp/all.json" >"$tmp/rows"

pass=0 failn=0 skipped=0
while IFS=$'\t' read -r name objs slabs order osize waste dup; do
	if [ "$dup" = true ]; then
		echo "# skip $name: its name is duplicated, so sysfs detail cannot be assigned"
		skipped=$((skipped + 1)); continue
	fi
	if [ ! -e "$S/$name" ]; then
		echo "# skip $name: no $S/$name (a cache sysfs does not list)"
		skipped=$((skipped + 1)); continue
	fi
	ok=
	w1=${before[$name]:-} w2=${after[$name]:-}
	if [ -n "$w1" ] && [ -n "$w2" ]; then
		lo=$w1 hi=$w2
		[ "$w1" -gt "$w2" ] && lo=$w2 hi=$w1
		[ "$waste" -ge "$lo" ] && [ "$waste" -le "$hi" ] && ok=1
	fi
	re="^$(printf '%s' "$name" | sed 's/[][\.*^$+?(){}|]/\\&/g')\$"
	for attempt in 1 2 3 4 5 6 7 8 9 10; do
		[ -n "$ok" ] && break
		# Bracket fragscope's read between two of ours: the counters
		# move, but fragscope's figure must lie between the two.
		expected "$name" || break
		w1=$want
		"$F" slab -J --filter "$re" >"$tmp/one.json" 2>/dev/null
		expected "$name" || break
		w2=$want
		waste=$(jq -r --arg n "$name" '[.caches[] | select(.name == $n) | .waste_bytes][0]' "$tmp/one.json")
		lo=$w1 hi=$w2
		[ "$w1" -gt "$w2" ] && lo=$w2 hi=$w1
		if [ "$waste" -ge "$lo" ] && [ "$waste" -le "$hi" ]; then ok=1; break; fi
	done
	# A few caches move with fragscope's own process (maple_node and
	# anon_vma_chain hold its mappings: more of them under ASan), so no
	# read of ours can bracket its read.  Then the rule is checked on
	# the sysfs values fragscope itself read, as its -J reports them.
	if [ -z "$ok" ] && [ -s "$tmp/one.json" ]; then
		self=$(jq -r --arg n "$name" --argjson page "$page" '[.caches[] | select(.name == $n)][0] |
			(.slabs * ($page * pow(2; .order)) - .active_objects * .object_size_bytes) as $w |
			"\(if $w < 0 then 0 else $w end) \(.waste_bytes)"' "$tmp/one.json" 2>/dev/null)
		if [ -n "$self" ] && [ "${self% *}" = "${self#* }" ]; then
			ok=1
			echo "# $name moved with fragscope's own process: WASTE checked on the values fragscope read ($self)"
		fi
	fi
	if [ -n "$ok" ]; then
		pass=$((pass + 1))
	else
		failn=$((failn + 1))
		echo "not ok - $name: fragscope WASTE $waste, sysfs gives $w1 before and $w2 after"
	fi
done <"$tmp/rows"
echo "ok - WASTE matched sysfs for $pass caches ($skipped skipped, named above)"
echo "$pass passed, $failn failed"
[ $failn -eq 0 ] && [ $pass -gt 0 ]
