#!/bin/bash
# live-procs.sh - fragscope procs on this machine against a child with
# 64 MiB of private anonymous memory written in full (procchild.c), whose
# argv[0] holds an ESC.  Checks, for the child: it is listed with its PID,
# user and command; RSS, PSS and USS are at least 64 MiB; --no-pss RSS
# equals /proc/PID/status VmRSS and ps -o rss=; its smaps_rollup values
# are what -J reports; the ESC never reaches the text output raw.  For
# the whole list: kernel threads are counted, not listed; the totals add
# up; -s pid sorts.  Then top, whose process list is re-read into the
# last table, over three frames.  Needs no root (the child is ours; other users'
# processes may show "-", which is fine).
set -u
F=${FRAGSCOPE:?} C=${PROCCHILD:?}
command -v jq >/dev/null || { echo "skip: no jq"; exit 77; }
[ -r /proc/self/status ] || { echo "skip: /proc not readable"; exit 77; }
tmp=$(mktemp -d) || exit 99
child=
cleanup() { exec 4>&- 2>/dev/null; [ -n "$child" ] && wait "$child" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkfifo "$tmp/in"
MIB=64
(exec -a $'\e[2Jprocchild' "$C" "$MIB") <"$tmp/in" >"$tmp/out" &
child=$!
exec 4>"$tmp/in"
for _ in $(seq 200); do grep -q '^ready$' "$tmp/out" 2>/dev/null && break; sleep 0.05; done
grep -q '^ready$' "$tmp/out" || { echo "not ok - procchild did not start"; exit 1; }

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { # DESC EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
atleast() { # DESC MIN ACTUAL
	if [ -n "$3" ] && [ "$3" != null ] && [ "$3" -ge "$2" ]; then ok "$1 ($3 >= $2)"; else bad "$1: expected at least $2, got '$3'"; fi
}
size=$((MIB * 1024 * 1024))

"$F" procs -J >"$tmp/all.json" 2>"$tmp/all.err"
check "procs -J exit status" 0 "$?"
jq -e . "$tmp/all.json" >/dev/null || bad "procs -J is not valid JSON"
c() { jq -r --argjson p "$child" ".processes[] | select(.pid == \$p) | $1" "$tmp/all.json"; }
check "child listed once" 1 "$(jq --argjson p "$child" '[.processes[] | select(.pid == $p)] | length' "$tmp/all.json")"
check "child command, ESC and all" $'\e[2Jprocchild '"$MIB" "$(c .command)"
check "child user" "$(id -un)" "$(c .user)"
check "child uid" "$(id -u)" "$(c .uid)"
atleast "child rss_bytes" "$size" "$(c .rss_bytes)"
atleast "child pss_bytes" "$size" "$(c .pss_bytes)"
atleast "child uss_bytes" "$size" "$(c .uss_bytes)"
atleast "child private_dirty_bytes" "$size" "$(c .private_dirty_bytes)"
atleast "child rss_anon_bytes" "$size" "$(c .rss_anon_bytes)"
check "child has no rollup_error" null "$(c .rollup_error)"

# The child is idle: its smaps_rollup now says what -J said.
kb() { awk -v k="$2:" '$1 == k { print $2 * 1024; exit }' "$1"; }
r=/proc/$child/smaps_rollup
# Pss_File moves as other processes map and unmap the same libraries;
# the anonymous part is the child's alone.
check "child pss_anon_bytes = smaps_rollup Pss_Anon" "$(kb "$r" Pss_Anon)" "$(c .pss_anon_bytes)"
# Private_Clean moves too: a library page only the child maps is private,
# and turns shared when another process (another test running alongside)
# maps the same file.  Private_Dirty is the child's own.
check "child private_dirty_bytes = smaps_rollup Private_Dirty" "$(kb "$r" Private_Dirty)" "$(c .private_dirty_bytes)"
check "child uss_bytes = private_clean_bytes + private_dirty_bytes" \
	"$(( $(c .private_clean_bytes) + $(c .private_dirty_bytes) ))" "$(c .uss_bytes)"
check "child swap_bytes = smaps_rollup Swap" "$(kb "$r" Swap)" "$(c .swap_bytes)"

# --no-pss: RSS from status, equal to VmRSS and to ps (same counter).
"$F" procs --no-pss -J >"$tmp/np.json" 2>"$tmp/np.err"
check "procs --no-pss -J exit status" 0 "$?"
check "--no-pss reads no smaps_rollup" false "$(jq .pss_read "$tmp/np.json")"
check "--no-pss: no pss_bytes key" null "$(jq --argjson p "$child" '.processes[] | select(.pid == $p) | .pss_bytes' "$tmp/np.json")"
np_rss=$(jq --argjson p "$child" '.processes[] | select(.pid == $p) | .rss_bytes' "$tmp/np.json")
check "--no-pss rss_bytes = status VmRSS" "$(kb /proc/$child/status VmRSS)" "$np_rss"
if command -v ps >/dev/null; then
	check "--no-pss rss_bytes = ps -o rss= (KiB)" "$(( $(ps -o rss= -p "$child") * 1024 ))" "$np_rss"
else
	echo "# ps not installed: the comparison with ps was skipped"
fi
check "--no-pss stderr is empty" "" "$(cat "$tmp/np.err")"

# Text: the ESC is escaped, the child's row has its PID and sizes.
"$F" procs >"$tmp/text" 2>"$tmp/text.err"
if grep -q $'\e' "$tmp/text"; then
	bad "procs: a raw ESC reached the text output"
else
	ok "procs: no raw ESC in the text output"
fi
check "procs: the child's command shown escaped" 1 \
	"$(awk -v p="$child" '$1 == p' "$tmp/text" | grep -cF '\x1b[2Jprocchild '"$MIB")"
"$F" procs -b -r -n -o pid,rss,uss >"$tmp/raw" 2>/dev/null
atleast "procs -b -r: the child's USS column" "$size" "$(awk -v p="$child" '$1 == p { print $3 }' "$tmp/raw")"
check "procs: footer names smaps_rollup" 1 "$(grep -c '^PSS and USS read from smaps_rollup of [0-9]* process' "$tmp/text")"
# At most one line on stderr: the summary of unreadable smaps_rollup files.
n=$(wc -l <"$tmp/text.err")
if [ "$n" -eq 0 ] || { [ "$n" -eq 1 ] && grep -q '^fragscope: procs: PSS and USS unavailable for [0-9]* process.*: shown as -$' "$tmp/text.err"; }; then
	ok "procs: stderr is empty or one summary line ($n)"
else
	bad "procs: unexpected stderr: $(head -3 "$tmp/text.err")"
fi

# Kernel threads are counted, never listed (kthreadd is PID 2 on Linux).
kt=$(jq .not_shown.kernel_threads "$tmp/all.json")
atleast "kernel threads counted" 1 "$kt"
check "kthreadd not listed" 0 "$(jq '[.processes[] | select(.pid == 2)] | length' "$tmp/all.json")"
listed_kthreads=0
for p in $(jq '.processes[].pid' "$tmp/all.json"); do
	grep -qs '^Kthread:[[:space:]]*1' "/proc/$p/status" && listed_kthreads=$((listed_kthreads + 1))
done
check "no listed process is a kernel thread" 0 "$listed_kthreads"

# Totals are the sums of the rows (no --top: every row is there).
check "totals.processes = rows" "$(jq '.processes | length' "$tmp/all.json")" "$(jq .totals.processes "$tmp/all.json")"
check "totals.rss_bytes = sum of rss_bytes" "$(jq '[.processes[].rss_bytes // 0] | add' "$tmp/all.json")" \
	"$(jq .totals.rss_bytes "$tmp/all.json")"
check "totals.pss_bytes = sum of pss_bytes" "$(jq '[.processes[].pss_bytes // 0] | add' "$tmp/all.json")" \
	"$(jq .totals.pss_bytes "$tmp/all.json")"
check "sorted by pss, largest first" true \
	"$(jq '[.processes[] | .pss_bytes // -1] | . == (sort | reverse)' "$tmp/all.json")"

# -s pid --top 3: three rows, ascending PIDs.
"$F" procs -s pid --top 3 -J >"$tmp/top.json" 2>/dev/null
check "--top 3 rows" 3 "$(jq '.processes | length' "$tmp/top.json")"
check "-s pid ascending" true "$(jq '[.processes[].pid] | . == sort' "$tmp/top.json")"

# top lists the processes again every 2 s into the last table, keeping
# the strings of processes that are still there: three frames 2.1 s
# apart go through two such re-lists, and the child (64 MiB, so among
# the largest) keeps its PID and its command, ESC and all, in each.
"$F" top --batch -n 3 -d 2.1 -J >"$tmp/top3.json" 2>"$tmp/top3.err"
check "top --batch -n 3 exit status" 0 "$?"
check "top: three frames" "1 2 3" "$(jq -r .frame "$tmp/top3.json" | tr '\n' ' ' | sed 's/ $//')"
check "top: the child's command in every frame" \
	"$(printf '%s\n' $'\e[2Jprocchild '"$MIB" $'\e[2Jprocchild '"$MIB" $'\e[2Jprocchild '"$MIB")" \
	"$(jq -r --argjson p "$child" '.processes[] | select(.pid == $p) | .command' "$tmp/top3.json")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
