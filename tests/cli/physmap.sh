#!/bin/sh
# physmap.sh - "physmap" on the x86_64-6.18-replay fixture (its
# kpageflags decompressed into a temporary root): every pageblock is
# classified once, the totals add up, a "free" pageblock is one whose
# pages are all free, the free pageblocks of the quiet zones (DMA, DMA32)
# are exactly the order-9 and order-10 blocks of buddyinfo, and the text
# map has one character per pageblock.
set -u
F=${FRAGSCOPE:?}
: "${FIXTURES:?}"
src=$FIXTURES/roots/x86_64-6.18-replay
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cp -r "$src/proc" "$tmp/"
gzip -dc "$src/kpageflags.gz" >"$tmp/proc/kpageflags"

"$F" --root "$tmp" -J physmap >"$tmp/p.json" 2>"$tmp/err"
[ $? = 0 ] && ok "physmap -J exits 0" || bad "physmap -J: $(cat "$tmp/err")"
jq -e '[.zones[] | (.totals | add) == (.pageblocks | length)] | all' "$tmp/p.json" >/dev/null &&
	ok "the totals add up to the pageblocks" || bad "totals"
jq -e '[.zones[] | .pageblock_pages as $n | .pageblocks[] | select(.class == "free") | .free == $n] | all' \
	"$tmp/p.json" >/dev/null && ok "free pageblocks have every page free" || bad "free pageblocks"
for z in DMA DMA32; do
	want=$(awk -v z=$z '$4 == z { print 2 * $15 + $14 }' "$src/proc/buddyinfo")
	got=$(jq --arg z $z '.zones[] | select(.zone == $z) | .totals.free' "$tmp/p.json")
	[ "$want" = "$got" ] && ok "$z: $got free pageblocks = 2 x order-10 + order-9 blocks" ||
		bad "$z: $got free pageblocks, buddyinfo says $want"
done
COLUMNS=80 "$F" --root "$tmp" physmap >"$tmp/p.txt"
chars=$(grep -E '^ +[0-9a-f]+ [FMURHXrb.]+$' "$tmp/p.txt" | awk '{ n += length($2) } END { print n }')
total=$(jq '[.zones[].pageblocks | length] | add' "$tmp/p.json")
[ "$chars" = "$total" ] && ok "one character per pageblock ($chars)" || bad "$chars characters for $total pageblocks"
awk 'length > 80 { exit 1 }' "$tmp/p.txt" && ok "lines fit in COLUMNS=80" || bad "lines wider than 80"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
