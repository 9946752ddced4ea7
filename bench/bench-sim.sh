#!/bin/sh
# bench-sim.sh - the buddy simulator's figures for bench/RESULTS.md:
#   W1 on 16 GiB (4,194,304 pages, 20,000,000 steps): steps per second,
#     RUNS runs, median (target >= 30 M steps/s), per wall second and per
#     CPU second of the loop (the two differ when other tasks share the CPU);
#   W1 on 1 TiB (268,435,456 pages): bytes per page and the peak RSS of
#     the whole process (target <= 4 GiB);
#   seeding from this machine's /proc/kpageflags (root): wall time, median
#     of RUNS, against seeding from the counts.
# usage: bench/bench-sim.sh [FRAGSCOPE] [RUNS]   (default build-bench/fragscope, 7)
set -eu
F=${1:-$(dirname "$0")/../build-bench/fragscope}
RUNS=${2:-7}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "W1, 16 GiB, $RUNS runs (steps per wall second, steps per CPU second of the loop):"
i=0
while [ $i -lt "$RUNS" ]; do
	"$F" -J sim buddy --bench W1 | jq -r '"\(.steps_per_s) \(.steps_per_cpu_s)"'
	i=$((i + 1))
done >/tmp/bench-sim.$$
tr '\n' ';' </tmp/bench-sim.$$
echo
echo "median wall: $(cut -d' ' -f1 /tmp/bench-sim.$$ | median), median CPU: $(cut -d' ' -f2 /tmp/bench-sim.$$ | median)"

echo "W1, 1 TiB (268435456 pages, 20000000 steps):"
/usr/bin/time -f "peak RSS %M KiB, %e s wall" "$F" sim buddy --bench W1 --pages 268435456 2>&1

if [ -r /proc/kpageflags ]; then
	for seed in kpageflags live; do
		i=0
		while [ $i -lt "$RUNS" ]; do
			/usr/bin/time -f "%e" "$F" sim buddy --seed-from $seed --steps 1 -J 2>&1 >/dev/null | tail -1
			i=$((i + 1))
		done >/tmp/bench-sim.$$
		echo "seed from $seed, --steps 1: median $(median </tmp/bench-sim.$$) s wall"
	done
fi
rm -f /tmp/bench-sim.$$
