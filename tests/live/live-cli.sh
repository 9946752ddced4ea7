#!/bin/bash
# live-cli.sh - fragscope against this machine: every command in text and
# JSON, a closed pipe, an unprivileged run, and snapshot round trips
# (atomic write, refusals, --force, --root read-back).
# Exits 77 only when /proc/buddyinfo is truly unreadable.
set -u
F=${FRAGSCOPE:?}
[ -r /proc/buddyinfo ] || { echo "skip: /proc/buddyinfo unreadable"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { failn=$((failn + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@" >/dev/null; then ok "$what"; else bad "$what"; fi; }

for cmd in "" mem buddy; do
	"$F" $cmd >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "live '$cmd' exits 0" test $rc -eq 0
	check "live '$cmd' prints something" test -s "$tmp/out"
	"$F" $cmd -J >"$tmp/out.json" 2>"$tmp/err"; rc=$?
	check "live '$cmd -J' exits 0" test $rc -eq 0
	check "live '$cmd -J' is valid JSON" jq -e '.schema_version == 1' "$tmp/out.json"
done
if [ "$(id -u)" = 0 ]; then
	check "root: pagetypeinfo columns present" grep -q UNMOVABLE <("$F" buddy)
	check "root: no unavailable inputs in buddy JSON" jq -e '.unavailable == []' <("$F" buddy -J)
fi

# Indices, prediction and pools on the live machine.
for cmd in frag hugepages "predict --order 0" "predict --gfp thp" "predict --order 3 --gfp atomic --count 1000"; do
	"$F" $cmd >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "live '$cmd' exits 0 or 1" test $rc -le 1
	check "live '$cmd' prints something" test -s "$tmp/out"
	"$F" $cmd -J >"$tmp/out.json" 2>"$tmp/err"; rc=$?
	check "live '$cmd -J' is valid JSON" jq -e '.schema_version == 1' "$tmp/out.json"
done
"$F" predict --order 0 -J >"$tmp/p.json" 2>/dev/null; rc=$?
check "one order-0 GFP_KERNEL page is available (exit 0)" test $rc -eq 0
check "predict JSON: the serving zone is in the zonelist" \
	jq -e '.verdict.served_by as $s | [.zonelist[] | select(.node == $s.node and .zone == $s.zone)] | length == 1' "$tmp/p.json"
check "predict JSON: success agrees with the exit status" jq -e '.verdict.success and .count.all_succeed' "$tmp/p.json"
"$F" predict --order 0 --count 1000000000 >/dev/null 2>&1; rc=$?
check "a billion order-0 pages are not available (exit 1)" test $rc -eq 1
"$F" hugepages -J >"$tmp/h.json" 2>/dev/null
check "hugepages JSON: a 2 MiB row with a count" jq -e '[.pools[] | select(.size_bytes == 2097152 and (.more_now | type) == "number")] | length >= 1' "$tmp/h.json"

# Slab caches (root only: /proc/slabinfo and /sys/kernel/slab are 0400).
if [ "$(id -u)" = 0 ]; then
	for cmd in slab "slab --no-sysfs" "slab --per-node -s waste" "slab --watch 0.2 --count 2"; do
		"$F" $cmd >"$tmp/out" 2>"$tmp/err"; rc=$?
		check "live '$cmd' exits 0" test $rc -eq 0
		check "live '$cmd' says nothing on stderr" test ! -s "$tmp/err"
		"$F" $cmd -J >"$tmp/out.json" 2>/dev/null
		check "live '$cmd -J' is valid JSON" jq -s -e 'length >= 1 and .[0].schema_version == 1' "$tmp/out.json"
	done
	"$F" slab -J >"$tmp/s.json" 2>/dev/null
	check "slab JSON: totals add up over the caches" \
		jq -e '(.totals.cache_bytes == ([.caches[].cache_bytes] | add)) and (.totals.objects == ([.caches[].objects] | add))' "$tmp/s.json"
	check "slab JSON: merged caches have alias names" jq -e '[.caches[] | select((.alias_names | length) > 0)] | length > 0' "$tmp/s.json"
fi

# A closed pipe: quiet, no error message.
"$F" buddy 2>"$tmp/err" | head -1 >/dev/null
check "closed pipe is quiet" test ! -s "$tmp/err"

# Unprivileged: pagetypeinfo (0400) is unreadable, the rest still prints.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$F" buddy >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "unprivileged buddy exits 0" test $rc -eq 0
	check "unprivileged buddy says why pagetypeinfo is missing" grep -q 'pagetypeinfo.*needs root' "$tmp/err"
	check "unprivileged buddy says it once" test "$(grep -c pagetypeinfo "$tmp/err")" -eq 1
	check "unprivileged buddy still prints zones" grep -q 'Normal' "$tmp/out"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$F" predict --order 9 >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "unprivileged predict exits 0 or 1" test $rc -le 1
	check "unprivileged predict notes the missing migratetype lists" grep -q 'pagetypeinfo needs root' "$tmp/out"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$F" slab >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "unprivileged slab exits 4" test $rc -eq 4
	check "unprivileged slab says it needs root, in one line" \
		test "$(cat "$tmp/err")" = "fragscope: slab needs root to read /proc/slabinfo and /sys/kernel/slab"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$F" buddy -J >"$tmp/out" 2>/dev/null
	check "unprivileged JSON lists pagetypeinfo as unavailable" \
		jq -e '.unavailable[] | select(.input == "pagetypeinfo" and .error == "permission denied" and .hint == "needs root")' "$tmp/out"
fi

# Snapshot and read back.
snap=$tmp/snap
"$F" snapshot "$snap" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "snapshot exits 0" test $rc -eq 0
check "snapshot manifest is valid JSON with page size" jq -e '.page_size > 0 and .kind == "fragscope-snapshot"' "$snap/fragscope-snapshot.json"
check "snapshot has proc/buddyinfo" test -s "$snap/proc/buddyinfo"
check "snapshot has sys/vm" test -s "$snap/proc/sys/vm/min_free_kbytes"
check "snapshot has node meminfo" test -s "$snap/sys/devices/system/node/node0/meminfo"
check "no temporary directory left" test -z "$(ls -A "$tmp" | grep '^\.snap\.tmp-')"
"$F" --root "$snap" buddy -J >"$tmp/s.json" 2>"$tmp/err"; rc=$?
check "--root snapshot buddy exits 0" test $rc -eq 0
check "--root snapshot page size from manifest" jq -e '.source.page_size_source == "manifest"' "$tmp/s.json"
check "--root snapshot has the same zones as live" \
	test "$(jq -c '[.zones[] | [.node, .zone]]' "$tmp/s.json")" = "$("$F" buddy -J | jq -c '[.zones[] | [.node, .zone]]')"

# Refusals.
"$F" snapshot "$snap" >/dev/null 2>"$tmp/err"; rc=$?
check "non-empty DIR refused with exit 5" test $rc -eq 5
check "refusal mentions --force" grep -q -- --force "$tmp/err"
ln -s "$tmp/elsewhere" "$tmp/link"
"$F" snapshot "$tmp/link" >/dev/null 2>"$tmp/err"; rc=$?
check "symlink DIR refused with exit 5" test $rc -eq 5
check "nothing written through the symlink" test ! -e "$tmp/elsewhere"
echo marker >"$snap/marker"
"$F" snapshot --force "$snap" >/dev/null 2>"$tmp/err"; rc=$?
check "--force replaces a non-empty DIR" test $rc -eq 0
check "--force removed the old contents" test ! -e "$snap/marker"
check "--force leaves no temporary directory" test -z "$(ls -A "$tmp" | grep '^\.snap\.tmp-')"
mkdir "$tmp/empty"
"$F" snapshot "$tmp/empty" >/dev/null 2>&1; rc=$?
check "an empty existing DIR is accepted" test $rc -eq 0 -a -s "$tmp/empty/proc/meminfo"
"$F" snapshot --pid $$ "$tmp/withpid" >/dev/null 2>&1; rc=$?
check "--pid captures the process" test $rc -eq 0 -a -s "$tmp/withpid/proc/$$/maps" -a -s "$tmp/withpid/proc/$$/status"
"$F" snapshot --pid 999999999 "$tmp/nopid" >/dev/null 2>"$tmp/err"; rc=$?
check "--pid of a missing process exits 3" test $rc -eq 3
check "--pid of a missing process writes nothing" test ! -e "$tmp/nopid"
"$F" snapshot -J "$tmp/js" >"$tmp/out" 2>/dev/null; rc=$?
check "snapshot -J prints the manifest" jq -e '.kind == "fragscope-snapshot" and .files > 0' "$tmp/out"
"$F" --root "$tmp/js" snapshot "$tmp/js2" >/dev/null 2>&1
check "a snapshot of a snapshot keeps its page size" \
	jq -e '.page_size_source == "manifest" and .page_size > 0' "$tmp/js2/fragscope-snapshot.json"
rm -rf "$tmp/js" "$tmp/js2"
if [ -w /dev/full ]; then
	"$F" buddy >/dev/full 2>"$tmp/err"; rc=$?
	check "write error gives exit 5" test $rc -eq 5
fi

echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
