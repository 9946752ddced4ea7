#!/bin/sh
# sim-replay.sh - "sim buddy --replay" on the real trace of the
# x86_64-6.18-replay fixture (decompressed into a temporary root): the
# events are all accounted for, the invariants hold after every event of
# the trace's head,
# the run is deterministic, DMA and DMA32 (no traffic in the trace) stay
# as they were, and the replayed Normal zone matches the golden per-order
# figures below.  Then the same for the buddy-exact replay of
# x86_64-6.18-replay-buddy, whose trace has the buddy lists' own events,
# and which comes within 1 % of the real after-state at every order.  Those figures and the real after-state are printed; how
# close they are is reported in bench/RESULTS.md and the issue note.
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
gzip -dc "$src/kmem.trace.gz" >"$tmp/kmem.trace"

"$F" --root "$tmp" -J sim buddy --seed-from kpageflags --replay "$tmp/kmem.trace" >"$tmp/a.json" 2>"$tmp/err"
[ $? = 0 ] && ok "replay exits 0" || { bad "replay: $(cat "$tmp/err")"; }
# --check walks every page after every event: on the first 150 lines only
# (the whole trace takes minutes under ASan).
head -n 150 "$tmp/kmem.trace" >"$tmp/head.trace"
"$F" --root "$tmp" sim buddy --seed-from kpageflags --replay "$tmp/head.trace" --check >/dev/null 2>"$tmp/err"
[ $? = 0 ] && ok "the first 150 lines replay with --check" || bad "--check: $(cat "$tmp/err")"
jq -e '.replay | .events == 12064 and
	.allocs_exact + .allocs_pcp + .allocs_moved + .allocs_failed + .kernel_failures == 7378 and
	.frees_pcp + .frees_mapped + .frees_direct + .frees_skipped == 4686' "$tmp/a.json" >/dev/null &&
	ok "every event accounted for" || bad "event counts: $(jq -c .replay "$tmp/a.json")"
"$F" --root "$tmp" -J sim buddy --seed-from kpageflags --replay "$tmp/kmem.trace" >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok "deterministic" || bad "two runs differ"
jq -e '[.zones[] | select(.zone != "Normal") | .before == .after] | all' "$tmp/a.json" >/dev/null &&
	ok "DMA and DMA32 unchanged" || bad "DMA/DMA32 changed"
got=$(jq -c '.zones[] | select(.zone == "Normal") | .after.free_blocks' "$tmp/a.json")
want='[5794,2425,773,947,460,132,46,10,8,19,515]'
[ "$got" = "$want" ] && ok "Normal after the replay: $got" || bad "Normal after: $got, golden $want"
real=$(awk '/Normal/ { s = "["; for (i = 5; i <= NF; i++) s = s (i > 5 ? "," : "") $i; print s "]" }' "$src/after/buddyinfo")
echo "# real after: $real"
# A layout synthesized from counts: the simulator places every allocation.
"$F" --root "$tmp" -J sim buddy --replay "$tmp/kmem.trace" >"$tmp/c.json" 2>/dev/null
jq -e '.replay.allocs_exact == 0 and .replay.allocs_moved == 7378' "$tmp/c.json" >/dev/null &&
	ok "from counts: every allocation placed by the simulator" || bad "counts seed: $(jq -c .replay "$tmp/c.json")"
printf 'x-1 [000] ..... 1.0: mm_page_free: pfn=0x10\n' >"$tmp/bad.trace"
"$F" --root "$tmp" sim buddy --replay "$tmp/bad.trace" >/dev/null 2>"$tmp/err"
[ $? = 3 ] && grep -q "bad.trace:1: mm_page_free: order=" "$tmp/err" && ok "a bad trace: FILE:LINE, exit 3" ||
	bad "bad trace: $(cat "$tmp/err")"
"$F" --root "$tmp" sim buddy --replay "$tmp/kmem.trace" --steps 5 >/dev/null 2>&1
[ $? = 2 ] && ok "--replay with --steps is a usage error" || bad "--replay --steps"

# The buddy-exact replay: x86_64-6.18-replay-buddy's trace also has the
# buddy lists' own events (mm_page_alloc_zone_locked, mm_page_pcpu_drain).
src=$FIXTURES/roots/x86_64-6.18-replay-buddy
rm -rf "$tmp/proc"
cp -r "$src/proc" "$tmp/"
gzip -dc "$src/kpageflags.gz" >"$tmp/proc/kpageflags"
gzip -dc "$src/kmem.trace.gz" >"$tmp/kmem.trace"
"$F" --root "$tmp" -J sim buddy --seed-from kpageflags --replay "$tmp/kmem.trace" >"$tmp/a.json" 2>"$tmp/err"
[ $? = 0 ] && ok "buddy-exact replay exits 0" || bad "buddy-exact replay: $(cat "$tmp/err")"
jq -e '.replay | .mode == "buddy-exact" and .events == 97571 and .buddy_events == 4428 and
	.allocs_client + .kernel_failures == 46785 and .takes_exact + .takes_missed == 3455 and
	.gives_exact + .gives_skipped == 973 and .frees_pcp + .frees_direct + .frees_skipped == 46358 and
	.allocs_exact + .allocs_pcp + .allocs_moved + .frees_mapped == 0' "$tmp/a.json" >/dev/null &&
	ok "buddy-exact: every event accounted for" || bad "buddy-exact counts: $(jq -c .replay "$tmp/a.json")"
"$F" --root "$tmp" -J sim buddy --seed-from kpageflags --replay "$tmp/kmem.trace" >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok "buddy-exact: deterministic" || bad "buddy-exact: two runs differ"
got=$(jq -c '.zones[] | select(.zone == "Normal") | .after.free_blocks' "$tmp/a.json")
want='[9306,4997,3255,2235,1697,557,335,82,29,11,675]'
[ "$got" = "$want" ] && ok "buddy-exact Normal after the replay: $got" || bad "buddy-exact Normal after: $got, golden $want"
real=$(awk '/Normal/ { s = "["; for (i = 5; i <= NF; i++) s = s (i > 5 ? "," : "") $i; print s "]" }' "$src/after/buddyinfo")
echo "# real after: $real"
# Within 1 % of the real after-state at every order (the figures of the
# issue note: order 2 one block off, order 3 seven).
echo "[$got, $real]" | jq -e 'transpose | all(((.[0] - .[1]) | fabs) <= .[1] / 100 + 0.5)' >/dev/null &&
	ok "buddy-exact: within 1 % of the real after-state at every order" || bad "far from the real after-state: $real"
head -n 400 "$tmp/kmem.trace" >"$tmp/head.trace"
"$F" --root "$tmp" sim buddy --seed-from kpageflags --replay "$tmp/head.trace" --check >/dev/null 2>"$tmp/err"
[ $? = 0 ] && ok "buddy-exact: the first 400 lines replay with --check" || bad "buddy-exact --check: $(cat "$tmp/err")"
# With per-CPU lists simulated, the buddy events would count twice: ignored.
"$F" --root "$tmp" -J sim buddy --seed-from kpageflags --pcp --replay "$tmp/kmem.trace" >"$tmp/c.json" 2>/dev/null
jq -e '.replay.mode == "clients" and .replay.buddy_ignored == 4428' "$tmp/c.json" >/dev/null &&
	ok "--pcp: the buddy events are counted and ignored" || bad "--pcp: $(jq -c .replay "$tmp/c.json")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
