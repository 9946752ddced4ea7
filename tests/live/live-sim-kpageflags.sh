#!/bin/bash
# live-sim-kpageflags.sh - seed the buddy simulator from this machine's
# /proc/kpageflags and compare the free blocks it finds with
# /proc/buddyinfo: per zone, the pages in blocks that differ must be
# within the pages on per-CPU lists (zoneinfo), which kpageflags shows in
# use.  The two files are read moments apart, so up to 5 attempts.  Also:
# the seed passes the simulator's invariant check for a short run, and a
# snapshot taken with --kpageflags seeds the same way.
# Skips (77) when not root.
set -u
F=${FRAGSCOPE:?}
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
[ -r /proc/kpageflags ] || { echo "skip: no /proc/kpageflags"; exit 77; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# jq: one line per zone, "zone pages_off pcp", pages_off = sum |diff| * 2^order.
check='.seed.zones[] | "\(.zone) \([.kpageflags_minus_buddyinfo | to_entries[] | (if .value < 0 then -.value else .value end) * pow(2; .key)] | add) \(.pcp_pages)"'
good=0
for attempt in 1 2 3 4 5; do
	"$F" -J sim buddy --seed-from kpageflags --steps 1 >"$tmp/seed.json" || { bad "exit status $?"; break; }
	jq -r "$check" "$tmp/seed.json" >"$tmp/zones"
	cat "$tmp/zones" | sed "s/^/  attempt $attempt: zone pages-off pcp: /"
	if awk '$2 > $3 { exit 1 }' "$tmp/zones"; then
		good=1
		break
	fi
done
[ $good = 1 ] && ok "kpageflags free blocks match buddyinfo within the per-CPU list pages (attempt $attempt)" ||
	bad "kpageflags free blocks differ from buddyinfo by more than the per-CPU list pages in 5 attempts"
jq -e '.seed.from == "kpageflags"' "$tmp/seed.json" >/dev/null && ok "seed.from is kpageflags" || bad "seed.from"

"$F" sim buddy --seed-from kpageflags --workload slab-heavy --steps 200 --check >"$tmp/check.txt" 2>&1
[ $? = 0 ] && ok "200 steps of slab-heavy from the kpageflags seed pass --check" || { bad "--check"; tail -3 "$tmp/check.txt"; }

"$F" snapshot --kpageflags "$tmp/snap" >/dev/null || bad "snapshot --kpageflags"
[ -s "$tmp/snap/proc/kpageflags" ] && ok "snapshot --kpageflags copied proc/kpageflags" || bad "no proc/kpageflags in the snapshot"
"$F" --root "$tmp/snap" -J sim buddy --seed-from kpageflags --steps 1 >"$tmp/snap.json" &&
	jq -e '[.seed.zones[] | .kpageflags_minus_buddyinfo | length] | all(. > 0)' "$tmp/snap.json" >/dev/null &&
	ok "the snapshot seeds from its kpageflags" || bad "seeding from the snapshot"
"$F" --root "$tmp/snap" sim buddy --seed-from kpageflags --steps 1 >/dev/null 2>&1 && rm "$tmp/snap/proc/kpageflags"
"$F" --root "$tmp/snap" sim buddy --seed-from kpageflags --steps 1 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 3 ] && grep -q "snapshot --kpageflags" "$tmp/err" && ok "a snapshot without kpageflags: exit 3 with a hint" ||
	bad "missing kpageflags: exit $rc: $(cat "$tmp/err")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
