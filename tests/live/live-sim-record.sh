#!/bin/bash
# live-sim-record.sh - "sim record" on this machine: it records events,
# leaves tracefs as it found it (the four events' enable files, tracing_on,
# buffer_size_kb, an empty ring buffer), refuses to overwrite a file
# without --force, and the trace replays.  Skips (77) when not root or
# without tracefs.
set -u
F=${FRAGSCOPE:?}
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
T=/sys/kernel/tracing
[ -e $T/trace ] || { echo "skip: tracefs not mounted at $T"; exit 77; }
[ -e $T/events/kmem/mm_page_alloc/enable ] || { echo "skip: no kmem events"; exit 77; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
K=$T/events/kmem
state() { cat $K/mm_page_alloc/enable $K/mm_page_free/enable $K/mm_page_alloc_zone_locked/enable \
	$K/mm_page_pcpu_drain/enable $T/tracing_on; cut -d' ' -f1 $T/buffer_size_kb; }

before=$(state)
( sleep 0.05; head -c 4000000 /dev/zero | cat >/dev/null; ls -R /usr/share >/dev/null ) &
"$F" sim record --seconds 0.3 "$tmp/t.trace" >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
[ $rc = 0 ] && ok "sim record exits 0: $(cat "$tmp/out")" || bad "sim record: exit $rc: $(cat "$tmp/err")"
grep -Eq '^recorded [0-9]+ mm_page_alloc, [0-9]+ mm_page_free and [0-9]+ buddy list events in 0\.[0-9]+ s to ' "$tmp/out" &&
	ok "the summary line" || bad "summary: $(cat "$tmp/out")"
grep -q ': mm_page_alloc: ' "$tmp/t.trace" && ok "the file holds mm_page_alloc events" || bad "no events in the file"
grep -q ': mm_page_alloc_zone_locked: ' "$tmp/t.trace" && ok "... and the buddy lists' own events" ||
	bad "no mm_page_alloc_zone_locked events in the file"
after=$(state)
[ "$before" = "$after" ] && ok "tracefs settings put back ($(echo $after))" || bad "settings: before $(echo $before), after $(echo $after)"
[ "$(grep -vc '^#' $T/trace)" = 0 ] && ok "the ring buffer is left empty" || bad "events left in the ring buffer"
"$F" sim record --seconds 0.01 "$tmp/t.trace" >/dev/null 2>"$tmp/err"
[ $? = 5 ] && grep -q "exists" "$tmp/err" && ok "an existing file needs --force" || bad "overwrote without --force"
"$F" sim record --seconds 0.01 --force "$tmp/t2.trace" >/dev/null 2>&1 && ok "--force" || bad "--force"
ln -s /etc/passwd "$tmp/link"
"$F" sim record --seconds 0.01 --force "$tmp/link" >/dev/null 2>"$tmp/err"
[ $? = 5 ] && [ -L "$tmp/link" ] && ok "a symlink is refused" || bad "symlink"
"$F" sim buddy --replay "$tmp/t.trace" -J >"$tmp/r.json" 2>/dev/null &&
	jq -e '.replay.events > 0' "$tmp/r.json" >/dev/null && ok "the trace replays" || bad "replay of the recorded trace"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
