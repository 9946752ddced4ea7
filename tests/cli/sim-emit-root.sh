#!/bin/sh
# sim-emit-root.sh - "sim buddy --emit-root DIR" writes the end state as a
# root that fragscope's own parsers read back: its buddyinfo equals the
# last timeline sample, buddy --check recomputes its watermarks exactly,
# frag and predict run on it, the files are in the kernel's layout
# (buddyinfo's fixed columns), and the directory is written as snapshot
# writes one (no symlink target, no non-empty target without --force).
set -u
F=${FRAGSCOPE:?}
: "${FIXTURES:?}"
root=$FIXTURES/roots/x86_64-6.18
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$F" --root "$root" -J sim buddy --steps 20000 --emit-root "$tmp/end" >"$tmp/sim.json"
[ $? = 0 ] && ok "sim --emit-root exits 0" || bad "sim --emit-root"
for f in proc/buddyinfo proc/pagetypeinfo proc/zoneinfo proc/sys/vm/min_free_kbytes fragscope-snapshot.json; do
	[ -s "$tmp/end/$f" ] || bad "missing $f"
done
"$F" --root "$tmp/end" -J buddy >"$tmp/buddy.json" 2>/dev/null
[ $? = 0 ] && ok "buddy reads the emitted root" || bad "buddy on the emitted root"
want=$(jq -c '[.timeline[-1].zones[] | .free_blocks]' "$tmp/sim.json")
got=$(awk '/^Node/ { s = "["; for (i = 5; i <= NF; i++) s = s (i > 5 ? "," : "") $i; print s "]" }' "$tmp/end/proc/buddyinfo" |
	paste -sd, | sed 's/^/[/; s/$/]/')
[ "$want" = "$got" ] && ok "buddyinfo = the last sample ($got)" || bad "buddyinfo $got, last sample $want"
awk '/^Node/ && $0 !~ /^Node [0-9]+, zone +[A-Za-z0-9]+ ( +[0-9]+ )+$/ { exit 1 }' "$tmp/end/proc/buddyinfo" &&
	ok "buddyinfo lines have the kernel's layout" || bad "buddyinfo layout"
"$F" --root "$tmp/end" buddy --check >/dev/null 2>&1
[ $? = 0 ] && ok "buddy --check: watermarks recomputed exactly" || bad "buddy --check on the emitted root"
jq -e '.seed.zones | length == 3' "$tmp/sim.json" >/dev/null || bad "seed zones"
"$F" --root "$tmp/end" -J frag >/dev/null 2>&1 && ok "frag runs on it" || bad "frag"
"$F" --root "$tmp/end" predict --order 9 --gfp THP >/dev/null 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] && ok "predict runs on it (exit $rc)" || bad "predict exit $rc"
# The same emitted root seeds a second simulation.
"$F" --root "$tmp/end" sim buddy --steps 100 --check >/dev/null 2>&1 && ok "the emitted root seeds sim again (--check)" ||
	bad "sim on the emitted root"

"$F" --root "$root" sim buddy --steps 10 --emit-root "$tmp/end" >/dev/null 2>"$tmp/err"
[ $? = 5 ] && grep -q "not empty" "$tmp/err" && ok "a non-empty target needs --force (exit 5)" || bad "non-empty target"
"$F" --root "$root" sim buddy --steps 10 --emit-root "$tmp/end" --force >/dev/null 2>&1 &&
	[ -s "$tmp/end/proc/zoneinfo" ] && ok "--force replaces it" || bad "--force"
ln -s "$tmp/elsewhere" "$tmp/link"
"$F" --root "$root" sim buddy --steps 10 --emit-root "$tmp/link" >/dev/null 2>"$tmp/err"
[ $? = 5 ] && [ ! -e "$tmp/elsewhere" ] && ok "a symlink target is refused" || bad "symlink target"
"$F" --root "$root" sim buddy --steps 10 --force >/dev/null 2>&1
[ $? = 2 ] && ok "--force without --emit-root is a usage error" || bad "--force alone"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
