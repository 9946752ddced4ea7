#!/bin/sh
# export-atomic.sh - export -o FILE replaces FILE atomically.
#
# A reader (poll-reader) reads the file in a loop while export rewrites it
# 1,000 times, alternating two outputs of different sizes (the small
# export-escape root, --select slab and --select meminfo): no read may see
# anything but a whole exposition ending with "# EOF".  Then: the file is
# mode 0644 even under umask 077, no temporary file is left behind, a
# symbolic link at FILE is replaced rather than written through, a
# directory at FILE is refused (exit 5), and a failed export (exit 3)
# leaves FILE as it was.
set -u
: "${FRAGSCOPE:?}" "${POLL_READER:?}" "${FIXTURES:?}"
root=$FIXTURES/roots/export-escape
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
out=$tmp/textfile/fragscope.prom
mkdir "$tmp/textfile"
fail=0
no() { echo "FAIL: $*"; fail=1; }

"$POLL_READER" "$out" "$tmp/stop" >"$tmp/reader.out" 2>"$tmp/reader.err" &
reader=$!
i=0
while [ $i -lt 1000 ]; do
	if [ $((i % 2)) -eq 0 ]; then sel=slab; else sel=meminfo; fi
	# Under ASan, leak checking at each exit would triple the time; the
	# other tests check export for leaks.
	ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 "$FRAGSCOPE" --root "$root" export --select $sel -o "$out" 2>/dev/null
	rc=$?
	[ $rc -eq 0 ] || { no "export $i exited $rc"; break; }
	i=$((i + 1))
done
touch "$tmp/stop"
wait $reader
rrc=$?
cat "$tmp/reader.out" "$tmp/reader.err"
[ $rrc -eq 0 ] || no "the reader saw a partial file"
# The reader must have seen the file change many times, or it proved nothing.
versions=$(sed -n 's/.* versions \([0-9]*\)$/\1/p' "$tmp/reader.out")
[ "${versions:-0}" -ge 50 ] || no "the reader saw only ${versions:-0} versions of the file"

# Mode 0644 whatever the umask; nothing else left in the directory.
(umask 077 && "$FRAGSCOPE" --root "$root" export --select meminfo -o "$out" 2>/dev/null) || no "export under umask 077"
mode=$(stat -c %a "$out")
[ "$mode" = 644 ] || no "mode $mode, not 644"
left=$(ls -A "$tmp/textfile")
[ "$left" = fragscope.prom ] || no "left behind: $left"

# A symlink at FILE is replaced, its target untouched.
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/textfile/link.prom"
"$FRAGSCOPE" --root "$root" export --select meminfo -o "$tmp/textfile/link.prom" 2>/dev/null || no "export onto a symlink"
[ "$(cat "$tmp/victim")" = precious ] || no "the symlink's target was written"
[ -L "$tmp/textfile/link.prom" ] && no "the symlink is still there"
tail -n 1 "$tmp/textfile/link.prom" | grep -qx '# EOF' || no "link.prom is not an exposition"

# A directory at FILE: exit 5, nothing written.
mkdir "$tmp/textfile/dir.prom"
"$FRAGSCOPE" --root "$root" export --select meminfo -o "$tmp/textfile/dir.prom" 2>"$tmp/err"
rc=$?
[ $rc -eq 5 ] || no "a directory as FILE: exit $rc, not 5"

# Nothing readable (exit 3): FILE keeps its old contents.
cp "$out" "$tmp/before"
"$FRAGSCOPE" --root "$FIXTURES/roots/empty" export -o "$out" 2>/dev/null
rc=$?
[ $rc -eq 3 ] || no "empty root: exit $rc, not 3"
cmp -s "$out" "$tmp/before" || no "a failed export changed FILE"
left=$(ls -A "$tmp/textfile" | tr '\n' ' ')
[ "$left" = "dir.prom fragscope.prom link.prom " ] || no "left behind: $left"

[ $fail -eq 0 ] && echo "export -o: atomic, 0644, no leftovers, symlink replaced"
exit $fail
