#!/bin/sh
# bench-sim-slab.sh - the slab simulator's figure for bench/RESULTS.md:
# sim slab on bench/slab-churn.spec (1,000,000 objects of 192 bytes, then
# 50% churn: 15,000 steps, 2,000,000 object operations) on an empty 1 GiB
# machine, against bench/slabref.c, the C library's malloc doing the same
# operations on real memory.  timeit alternates the two for ROUNDS rounds;
# steps per second and object operations per second come from fragscope's
# median wall time, with and without the setup (the same command with
# --steps 1: the machine and the caches, no workload).
# usage: bench/bench-sim-slab.sh [FRAGSCOPE] [ROUNDS]   (default build-bench/fragscope, 11)
set -eu
here=$(dirname "$0")
F=${1:-$here/../build-bench/fragscope}
ROUNDS=${2:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/timeit" "$here/timeit.c"
cc -O2 -o "$tmp/slabref" "$here/slabref.c"
spec=$here/slab-churn.spec
args="sim slab --seed-from empty:1G --cpus 2 --workload $spec"

"$F" $args | tail -4
echo "A = fragscope $args; B = slabref (malloc, same operations)"
"$tmp/timeit" -n "$ROUNDS" -w 1 -r "$tmp/raw" -l sim-slab -- "$F" $args :: "$tmp/slabref"
"$tmp/timeit" -n "$ROUNDS" -w 1 -r "$tmp/raw1" -l setup -- "$F" $args --steps 1 :: "$tmp/slabref"
med() { awk '{ print $2 }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
a=$(med "$tmp/raw")
s=$(med "$tmp/raw1")
awk -v a="$a" -v s="$s" 'BEGIN {
	printf "median wall %.1f ms, setup (--steps 1) %.1f ms\n", a / 1e6, s / 1e6
	printf "steps/s: %.0f (whole run), %.0f (without setup)\n", 15000 / (a / 1e9), 15000 / ((a - s) / 1e9)
	printf "object operations/s: %.1f M (whole run), %.1f M (without setup)\n", 2e6 / (a / 1e9) / 1e6, 2e6 / ((a - s) / 1e9) / 1e6
}'
