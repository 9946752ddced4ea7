#!/bin/bash
# live-hugetlb.sh - does the kernel agree with predict?  As root, ask
# "fragscope predict --gfp hugetlb --count N" for N 2 MiB pool pages on
# node 0, then really grow the pool to N and check that the kernel got
# all of them without direct reclaim or compaction (the prediction is
# "from the free lists alone").  The pool is put back to 0 afterwards.
#
# N is half of what hugepages says the free lists could give, at most
# 512 (1 GiB), so the test never pushes the machine near its watermarks
# while other tests run.  Skips (77) unless root, with 2 MiB pages, and
# with an empty pool to begin with (it must not disturb a configured one).
set -u
F=${FRAGSCOPE:?}
pool=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
[ -w "$pool" ] || { echo "skip: no writable $pool"; exit 77; }
[ "$(cat "$pool")" = 0 ] || { echo "skip: the node 0 pool is in use ($(cat "$pool") pages)"; exit 77; }
[ "$(cat /proc/sys/vm/nr_hugepages)" = 0 ] || { echo "skip: hugetlb pools are configured"; exit 77; }
trap 'echo 0 >"$pool"' EXIT

pass=0 failn=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { failn=$((failn + 1)); echo "not ok - $*"; }

counters() {
	awk '$1 ~ /^(allocstall_|compact_stall$|pgscan_direct$)/ { s += $2 } END { print s + 0 }' /proc/vmstat
}

more=$("$F" hugepages --node 0 -J 2>/dev/null | jq '[.pools[] | select(.size_bytes == 2097152) | .more_now][0] // 0')
n=$((more / 2))
[ $n -gt 512 ] && n=512
if [ $n -lt 1 ]; then
	echo "skip: the free lists have no 2 MiB block to spare (hugepages says $more)"
	exit 77
fi
"$F" predict --gfp hugetlb --node 0 --count $n >/dev/null 2>&1; rc=$?
if [ $rc -eq 0 ]; then ok "predict says $n pool pages would succeed"; else bad "predict --count $n exits $rc"; fi

before=$(counters)
echo $n >"$pool"
got=$(cat "$pool")
after=$(counters)
if [ "$got" = "$n" ]; then ok "the kernel grew the pool to $n"; else bad "the kernel gave $got of $n pages"; fi
if [ "$before" = "$after" ]; then
	ok "no direct reclaim or compaction was needed"
else
	bad "direct reclaim/compaction counters moved ($before -> $after)"
fi
echo 0 >"$pool"

echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
