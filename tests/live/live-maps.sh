#!/bin/bash
# live-maps.sh - fragscope maps against a child with known mappings
# (mapchild.c): an anonymous region of a known size between PROT_NONE
# guards, a file whose name holds a space and a newline, a deleted file,
# and a file named ESC "[2Jesc.dat".  Each must be reported exactly; the
# totals of -x must equal pmap -x's for the same process; the ESC must
# never reach the text output raw.  Needs no root (the child is ours).
set -u
F=${FRAGSCOPE:?} C=${MAPCHILD:?}
command -v jq >/dev/null || { echo "skip: no jq"; exit 77; }
tmp=$(mktemp -d) || exit 99
child=
cleanup() { exec 4>&- 2>/dev/null; [ -n "$child" ] && wait "$child" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir "$tmp/d"
mkfifo "$tmp/in"
"$C" "$tmp/d" <"$tmp/in" >"$tmp/addr" &
child=$!
exec 4>"$tmp/in"
for _ in $(seq 100); do grep -q '^ready$' "$tmp/addr" 2>/dev/null && break; sleep 0.05; done
grep -q '^ready$' "$tmp/addr" || { echo "not ok - mapchild did not start"; exit 1; }

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { # DESC EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
addr() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/addr"; }
addr_end() { awk -v k="$1" '$1 == k { print $3 }' "$tmp/addr"; }

"$F" maps -J -XX "$child" >"$tmp/xx.json" 2>"$tmp/err" || { bad "maps -J -XX failed: $(cat "$tmp/err")"; }
"$F" maps -J "$child" >"$tmp/plain.json" 2>"$tmp/err" || { bad "maps -J failed: $(cat "$tmp/err")"; }
m() { # FILE START JQ-EXPR
	jq -r --arg s "$2" ".processes[0].mappings[] | select(.start == \$s) | $3" "$1"
}

# The anonymous region: its range, rw-p, every page resident and dirty.
a=$(addr anon)
check "anon end" "$(addr_end anon)" "$(m "$tmp/plain.json" "$a" .end)"
check "anon size" $((1536 * 1024)) "$(m "$tmp/plain.json" "$a" .size_bytes)"
check "anon perms" "rw-p" "$(m "$tmp/plain.json" "$a" .perms)"
check "anon has no name" "null" "$(m "$tmp/plain.json" "$a" .name)"
check "anon rss" $((1536 * 1024)) "$(m "$tmp/xx.json" "$a" .rss_bytes)"
check "anon private dirty" $((1536 * 1024)) "$(m "$tmp/xx.json" "$a" .private_dirty_bytes)"
check "anon swap" 0 "$(m "$tmp/xx.json" "$a" .swap_bytes)"

# The guard below it: one page, no access, kind guard.
g=$(addr guard)
check "guard size" 4096 "$(m "$tmp/plain.json" "$g" .size_bytes)"
check "guard perms" "---p" "$(m "$tmp/plain.json" "$g" .perms)"
check "guard kind" "guard" "$(m "$tmp/plain.json" "$g" .kind)"
check "guard rss" 0 "$(m "$tmp/xx.json" "$g" .rss_bytes)"

# The file with a space and a newline: the real name comes back.
s=$(addr space)
check "space+newline name" "$tmp/d/sp ace
line.dat" "$(m "$tmp/plain.json" "$s" .name)"
check "space+newline size" 8192 "$(m "$tmp/plain.json" "$s" .size_bytes)"
check "space+newline perms" "r--s" "$(m "$tmp/plain.json" "$s" .perms)"
check "space+newline not deleted" false "$(m "$tmp/plain.json" "$s" .deleted)"
check "space+newline kind" file "$(m "$tmp/plain.json" "$s" .kind)"

# The deleted file: its name without the suffix, deleted true.
d=$(addr deleted)
check "deleted name" "$tmp/d/gone.dat" "$(m "$tmp/plain.json" "$d" .name)"
check "deleted flag" true "$(m "$tmp/plain.json" "$d" .deleted)"
check "deleted size" 12288 "$(m "$tmp/plain.json" "$d" .size_bytes)"
check "deleted perms" "rw-s" "$(m "$tmp/plain.json" "$d" .perms)"

# ESC in a file name: exact in JSON, escaped in every text view.
e=$(addr esc)
check "esc name in JSON" "$tmp/d/"$'\e'"[2Jesc.dat" "$(m "$tmp/plain.json" "$e" .name)"
for v in "" -p -x -X -XX; do
	"$F" maps $v "$child" >"$tmp/text" 2>&1
	if grep -q $'\e' "$tmp/text"; then
		bad "maps $v: a raw ESC reached the text output"
	elif ! grep -qF '\x1b[2Jesc.dat' "$tmp/text"; then
		bad "maps $v: the escaped name \\x1b[2Jesc.dat is missing"
	else
		ok "maps $v: ESC shown as \\x1b"
	fi
done
# The newline is shown as \n in text, on one line.
"$F" maps -p "$child" >"$tmp/text"
check "newline escaped in text" 1 "$(grep -cF "sp ace\\nline.dat" "$tmp/text")"
check "deleted suffix in text" 1 "$(grep -cF "gone.dat (deleted)" "$tmp/text")"

# Against pmap: every line's address, Kbytes, RSS, Dirty and mode, and the
# totals, are pmap -x's (the child is idle; only names differ by design).
if command -v pmap >/dev/null; then
	pmap -x "$child" >"$tmp/pmap.x" && "$F" maps -x "$child" >"$tmp/fs.x"
	cols() { awk 'NR > 2 && $1 ~ /^[0-9a-f]+$/ { print $1, $2, $3, $4, $5 }' "$1"; }
	if diff <(cols "$tmp/pmap.x") <(cols "$tmp/fs.x") >"$tmp/diff"; then
		ok "maps -x rows equal pmap -x ($(cols "$tmp/fs.x" | wc -l) mappings)"
	else
		bad "maps -x rows differ from pmap -x: $(head -5 "$tmp/diff" | tr '\n' ' ')"
	fi
	check "maps -x total line equals pmap -x" "$(grep '^total kB' "$tmp/pmap.x")" "$(grep '^total kB' "$tmp/fs.x")"
	pmap "$child" >"$tmp/pmap.d" && "$F" maps "$child" >"$tmp/fs.d"
	check "maps total equals pmap" "$(tail -1 "$tmp/pmap.d")" "$(tail -1 "$tmp/fs.d")"
	check "maps header equals pmap" "$(head -1 "$tmp/pmap.d")" "$(head -1 "$tmp/fs.d")"
else
	echo "# pmap not installed: the comparison with pmap -x was skipped"
fi

# --summary: the guards are guard, the sizes add up to the list's total.
"$F" maps -J --summary "$child" >"$tmp/sum.json"
check "summary guard mappings" 2 "$(jq '.processes[0].summary[] | select(.kind == "guard") | .mappings' "$tmp/sum.json")"
check "summary size = list size" "$(jq '.processes[0].totals.size_bytes' "$tmp/plain.json")" \
	"$(jq '[.processes[0].summary[].size_bytes] | add' "$tmp/sum.json")"

# A PID that is gone gets its own line and exit status 3; the live PID
# given with it still prints.
true & dead=$!
wait "$dead"
"$F" maps "$dead" "$child" >"$tmp/two" 2>"$tmp/two.err"
check "gone PID: exit status 3" 3 "$?"
check "gone PID: one line on stderr" "fragscope: process $dead: no such process (or it exited while being read)" "$(cat "$tmp/two.err")"
check "gone PID: the other PID printed" "$(head -1 "$tmp/fs.d")" "$(head -1 "$tmp/two")"

# A long list that fails near its end (a snapshot root made here): the
# lists print as they read, so what went out before the failure stays,
# without the total; a small broken file prints only the error (the CLI
# golden tests): more than 64 KiB of output before the failure.
r=$tmp/root
mkdir -p "$r/proc/4242"
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "%012x-%012x rw-p 00000000 00:00 0 \n", 4096 * (2 * i + 16), 4096 * (2 * i + 17)
	print "garbage" }' >"$r/proc/4242/maps"
"$F" --root "$r" maps 4242 >"$tmp/part" 2>"$tmp/part.err"
check "partial list: exit status 3" 3 "$?"
check "partial list: the error names the line" \
	"fragscope: $r/proc/4242/maps:3001: bad start address 'garbage': not a hex number" "$(cat "$tmp/part.err")"
check "partial list: every mapping before the failure" 3000 "$(grep -c '^0000' "$tmp/part")"
check "partial list: no total" 0 "$(grep -c total "$tmp/part")"
"$F" --root "$r" maps -J 4242 >"$tmp/part.json" 2>/dev/null
check "partial JSON: valid, with the mappings read" 3000 "$(jq '.processes[0].mappings | length' "$tmp/part.json")"
check "partial JSON: the error and its line" 3001 "$(jq '.processes[0].error.line' "$tmp/part.json")"
check "partial JSON: no totals" null "$(jq '.processes[0].totals' "$tmp/part.json")"

# A zombie (exited, not reaped) still has /proc/PID but no address space:
# its maps read as empty, which must not pass for an empty process.
sh -c 'sleep 0.1 & exec sleep 3' &
zparent=$!
sleep 0.5
zpid=$(pgrep -P "$zparent" | head -n 1)
if [ -n "$zpid" ] && [ "$(awk '{ print $3 }' "/proc/$zpid/stat" 2>/dev/null)" = Z ]; then
	"$F" maps "$zpid" >/dev/null 2>"$tmp/zombie.err"
	check "a zombie: exit status 3" 3 "$?"
	check "a zombie: no such process" 1 "$(grep -c 'no such process (or it exited while being read)' "$tmp/zombie.err")"
else
	echo "# no zombie to test (pid '$zpid')"
fi
kill "$zparent" 2>/dev/null
wait "$zparent" 2>/dev/null

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
