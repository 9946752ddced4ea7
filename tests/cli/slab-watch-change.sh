#!/bin/sh
# slab-watch-change.sh - "slab --watch" while the caches change: a copy
# of a root whose /proc/slabinfo gains a cache and grows another between
# samples.  The new cache must show as grown from nothing, the grown one
# with its delta, and the summary must name caches that grew in every
# interval.  (A cache appearing mid-watch once crashed the watch.)
set -u
: "${FRAGSCOPE:?}" "${FIXTURES:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/proc"
src=$FIXTURES/roots/x86_64-6.18-slab/proc/slabinfo
cp "$src" "$tmp/root/proc/slabinfo"
fail=0

# The file changes between samples: the watch sleeps 1 s per interval and
# this rewrites the file 0.5 s in; whichever interval sees it, the checks
# below hold (no timing is asserted).
( sleep 0.5
  { cat "$src"
    echo 'zz_new_cache          100    100    64   64    1 : tunables    0    0    0 : slabdata      2      2      0'
  } | sed 's/^kmalloc-8 .*/kmalloc-8          9999   9999      8  512    1 : tunables    0    0    0 : slabdata     20     20      0/' \
	>"$tmp/root/proc/slabinfo.new"
  mv "$tmp/root/proc/slabinfo.new" "$tmp/root/proc/slabinfo" ) &
NO_COLOR=1 "$FRAGSCOPE" --root "$tmp/root" slab --watch 1 --count 2 >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
cat "$tmp/out"
[ $rc -eq 0 ] || { echo "FAIL: exit status $rc: $(cat "$tmp/err")"; fail=1; }
grep -Eq '^ *100 +100 .* 1/[12] zz_new_cache$' "$tmp/out" ||
	{ echo "FAIL: the new cache is not shown as grown from nothing (100 objects, delta 100)"; fail=1; }
grep -Eq '^ *9999 +[0-9]+ .* kmalloc-8$' "$tmp/out" || { echo "FAIL: the grown kmalloc-8 is not shown"; fail=1; }
NO_COLOR=1 "$FRAGSCOPE" --root "$tmp/root" -J slab --watch 0.01 --count 1 >"$tmp/json" 2>/dev/null
jq -s -e '.[-1].command == "slab --watch summary"' "$tmp/json" >/dev/null ||
	{ echo "FAIL: JSON watch does not end with the summary object"; fail=1; }
[ $fail -eq 0 ] && echo "ok"
exit $fail
