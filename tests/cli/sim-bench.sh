#!/bin/sh
# sim-bench.sh - "sim buddy --bench W1" on a small zone: the line has the
# documented fields, W1 never fails on an empty zone kept below 3/4 full,
# the counts add up, and -J gives the same counts.  (No timing is
# asserted: steps_per_s is only checked to be a positive number.)
set -u
F=${FRAGSCOPE:?}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }

line=$("$F" sim buddy --bench W1 --pages 65536 --steps 200000) || bad "exit status $?"
echo "$line"
echo "$line" | grep -Eq '^W1 pages=65536 steps=200000 fails=0 steps_per_s=[1-9][0-9]* bytes_per_page=[0-9]+\.[0-9]{2}$' &&
	ok "text line has every field" || bad "text line: $line"

json=$("$F" -J sim buddy --bench W1 --pages 65536 --steps 200000)
echo "$json" | jq -e '.pages == 65536 and .steps == 200000 and .fails == 0 and
	.allocations + .frees + .fails == .steps and .steps_per_s > 0 and
	.cpu_seconds > 0 and .steps_per_cpu_s > 0 and
	.bytes_per_page > 5 and .bytes_per_page < 6' >/dev/null &&
	ok "JSON counts add up" || bad "JSON: $json"
# The same run twice: the same counts (the workload is deterministic).
a=$("$F" -J sim buddy --bench W1 --pages 65536 --steps 100000 | jq -c '[.allocations, .frees, .fails]')
b=$("$F" -J sim buddy --bench W1 --pages 65536 --steps 100000 | jq -c '[.allocations, .frees, .fails]')
[ "$a" = "$b" ] && ok "deterministic ($a)" || bad "runs differ: $a vs $b"
"$F" sim buddy --bench W1 --pages 0 >/dev/null 2>&1
[ $? -eq 2 ] && ok "--pages 0 is a usage error" || bad "--pages 0"
# Above 2^31 pages the packed live slots would not fit: refused, not wrapped.
err=$("$F" sim buddy --bench W1 --pages 2147483649 2>&1 >/dev/null)
[ $? -eq 2 ] && echo "$err" | grep -q "2147483648 pages" && ok "--pages above 2^31 is a usage error" ||
	bad "--pages 2147483649: $err"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
