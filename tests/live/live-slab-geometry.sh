#!/bin/sh
# live-slab-geometry.sh - slab --check-geometry on this machine: the
# geometry rule (sim/slabgeom.c) must give every cache directory of
# /sys/kernel/slab its slab_size, order and objs_per_slab (100 %), and
# the count checked must be the number of directories (symlinks are
# merged names of those).  Skips (77) only when /sys/kernel/slab cannot
# be read (no SLUB, or not root).
set -u
F=${FRAGSCOPE:?}
S=/sys/kernel/slab
[ -d $S ] && [ -r $S/kmalloc-64/object_size ] || { echo "skip: $S not readable"; exit 77; }
dirs=$(find $S -mindepth 1 -maxdepth 1 -type d | wc -l)
out=$("$F" slab --check-geometry -J) || { echo "FAIL: exit $? (a mismatch is exit 1)"; "$F" slab --check-geometry; exit 1; }
checked=$(printf '%s' "$out" | jq -r .checked)
match=$(printf '%s' "$out" | jq -r .match)
bad=$(printf '%s' "$out" | jq -r .mismatch)
echo "caches: $dirs directories, checked $checked, match $match, mismatch $bad"
[ "$checked" -gt 0 ] || { echo "FAIL: nothing checked"; exit 1; }
[ "$bad" = 0 ] && [ "$match" = "$checked" ] || { echo "FAIL: mismatches"; "$F" slab --check-geometry; exit 1; }
# Caches come and go (a module, a netns): the count may differ by a few.
diff=$((dirs - checked)); [ $diff -lt 0 ] && diff=$((-diff))
[ $diff -le 5 ] || { echo "FAIL: $checked checked but $dirs directories"; exit 1; }
# sim slab seeded from this machine: kmalloc-192's slabs come from the
# live slabinfo and stand on allocated pages of the seeded machine.
sim=$("$F" sim slab --steps 200 -J) || { echo "FAIL: sim slab on this machine: exit $?"; exit 1; }
seeded=$(printf '%s' "$sim" | jq '.caches[] | select(.cache == "kmalloc-192") | .seeded_slabs')
live=$(awk '$1 == "kmalloc-192" { print $15 }' /proc/slabinfo)
unplaced=$(printf '%s' "$sim" | jq '.caches[] | select(.cache == "kmalloc-192") | .unplaced_slabs')
echo "kmalloc-192: $seeded slabs seeded (slabinfo: $live), $unplaced unplaced"
[ "$seeded" -gt 0 ] && [ "$unplaced" = 0 ] || { echo "FAIL: seeding"; exit 1; }
# Every checked cache is a match in the per-cache list too.
n=$(printf '%s' "$out" | jq '[.caches[] | select(.match == false)] | length')
[ "$n" = 0 ] || { echo "FAIL: $n caches with match false"; exit 1; }
echo "ok"
