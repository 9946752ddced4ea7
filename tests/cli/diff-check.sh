#!/bin/sh
# diff-check.sh - properties of "fragscope diff" beyond its golden cases,
# checked with jq on its JSON:
#   - a root against itself: every section empty, exit 0;
#   - A against B mirrors B against A: the same rows, every change negated,
#     grew <-> shrank, appeared <-> vanished, worse <-> better;
#   - moving free pages between orders (x86_64-6.18-fragmented) keeps the
#     free memory: the free_blocks changes sum to 0 bytes;
#   - tar archives of the two roots give the diff of the directories;
#   - this machine ("/") against a snapshot of it: a valid document with
#     a.live true and b.live false.
set -u
: "${FRAGSCOPE:?}" "${FIXTURES:?}"
roots=$FIXTURES/roots
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 LC_ALL=C
fail=0
err() {
	echo "FAIL: $*"
	fail=1
}

A=$roots/x86_64-6.18
B=$roots/x86_64-6.18-fragmented
S1=$roots/slab-duplicates
S2=$roots/slab-duplicates-later

for r in "$A" "$S1"; do
	"$FRAGSCOPE" -J diff "$r" "$r" >"$tmp/self.json" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] || err "diff of $r with itself: exit $rc"
	jq -e '[.meminfo, .free_blocks, .fragmentation, .slab, .predict] | map(length) | add == 0' \
		"$tmp/self.json" >/dev/null || err "diff of $r with itself is not empty"
done

for pair in "$A $B" "$S1 $S2" "$A $roots/x86_64-6.18-combined"; do
	set -- $pair
	"$FRAGSCOPE" -J diff "$1" "$2" >"$tmp/ab.json" 2>/dev/null
	"$FRAGSCOPE" -J diff "$2" "$1" >"$tmp/ba.json" 2>/dev/null
	# Rows keyed by identity, with what B - A must negate.
	key='def swap: {"grew":"shrank","shrank":"grew","appeared":"vanished","vanished":"appeared","worse":"better","better":"worse"}[.];
	     [(.meminfo[] | {k: ("m " + .field), c: .change}),
	      (.free_blocks[] | {k: ("f \(.node) \(.zone) \(.order)"), c: .change_blocks}),
	      (.fragmentation[] | {k: ("x \(.node) \(.zone) \(.order) \(.index)"), c: .change_milli}),
	      (.slab[] | {k: ("s \(.name) \(.instance)"), c: .change_bytes, s: .status}),
	      (.predict[] | {k: ("p \(.node) \(.zone) \(.class) \(.order)"), s: .change})] | sort_by(.k)'
	jq "$key" "$tmp/ab.json" >"$tmp/ab.rows"
	jq "$key"' | map((if has("c") and .c != null then .c |= -. else . end) | (if has("s") then .s |= swap else . end))' \
		"$tmp/ba.json" >"$tmp/ba.rows"
	n=$(jq length "$tmp/ab.rows")
	[ "$n" -gt 0 ] || err "diff $1 $2: no rows"
	cmp -s "$tmp/ab.rows" "$tmp/ba.rows" || {
		err "diff $1 $2 does not mirror diff $2 $1"
		diff "$tmp/ab.rows" "$tmp/ba.rows" | head -10
	}
done

"$FRAGSCOPE" -J diff "$A" "$B" >"$tmp/frag.json" 2>/dev/null
jq -e '([.free_blocks[].change_bytes] | add) == 0' "$tmp/frag.json" >/dev/null ||
	err "free_blocks of $B do not sum to the same free memory"
jq -e '[.predict[] | select(.order == 9 and .change == "worse")] | length == 3' "$tmp/frag.json" >/dev/null ||
	err "expected three order-9 verdicts to get worse"

# Tar archives read like the directories.
tar -C "$A" -cf "$tmp/a.tar" . && tar -C "$B" -cf "$tmp/b.tar" . || err "tar -cf"
"$FRAGSCOPE" diff "$A" "$B" >"$tmp/dir.out" 2>"$tmp/dir.err"
echo $? >>"$tmp/dir.out"
"$FRAGSCOPE" diff "$tmp/a.tar" "$tmp/b.tar" >"$tmp/tar.out" 2>"$tmp/tar.err"
echo $? >>"$tmp/tar.out"
sed -i "s|$tmp/a.tar|$A|g; s|$tmp/b.tar|$B|g" "$tmp/tar.out" "$tmp/tar.err"
cmp -s "$tmp/dir.out" "$tmp/tar.out" && cmp -s "$tmp/dir.err" "$tmp/tar.err" || {
	err "diff of tar archives differs from diff of directories"
	diff "$tmp/dir.out" "$tmp/tar.out" | head
}

# Live against a snapshot of it.
if "$FRAGSCOPE" snapshot "$tmp/snap" >/dev/null 2>&1; then
	"$FRAGSCOPE" -J diff / "$tmp/snap" >"$tmp/live.json" 2>"$tmp/live.err"
	rc=$?
	[ $rc -eq 0 ] || { err "diff / SNAPSHOT: exit $rc"; cat "$tmp/live.err"; }
	jq -e '.a.live == true and .b.live == false and (.meminfo | type == "array")' \
		"$tmp/live.json" >/dev/null || err "diff / SNAPSHOT: unexpected document"
else
	err "snapshot of this machine failed"
fi
exit $fail
