#!/bin/sh
# tar-root.sh - a root read as a tar archive gives byte-identical output to
# the same root read as a directory, and snapshot --tar writes what
# snapshot DIR writes.
#
# 1. For every fixture root in tests/fixtures/roots: archive it with GNU tar
#    (a foreign writer, so the reader is tested on what users will make) and
#    run every command that reads a root, text and -J, on both.  stdout,
#    stderr and the exit status must be identical once the root's own name
#    (printed in JSON's "source" and in error messages) is replaced.
# 2. The same for an archive made by "fragscope snapshot --tar" of a
#    snapshot of this machine, and of the richest fixture root; that
#    archive, extracted by GNU tar, equals "snapshot DIR" of the same
#    root (diff -r), tar -tvf lists it, and with SOURCE_DATE_EPOCH two runs
#    give the same bytes.
set -u
: "${FRAGSCOPE:?}" "${FIXTURES:?}"
roots=$FIXTURES/roots
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 LC_ALL=C
fail=0
ncmp=0

# run ROOT OUT ARGS...: stdout, stderr and status of one run, the root's
# name replaced by @ROOT@.
run() {
	r=$1 out=$2
	shift 2
	"$FRAGSCOPE" --root "$r" "$@" >"$out.out" 2>"$out.err" </dev/null
	echo $? >"$out.rc"
	sed -i "s|$r|@ROOT@|g" "$out.out" "$out.err"
}

# same DIR TAR ARGS...: the two runs must agree.
same() {
	d=$1 t=$2
	shift 2
	run "$d" "$tmp/a" "$@"
	run "$t" "$tmp/b" "$@"
	ncmp=$((ncmp + 1))
	for k in out err rc; do
		if ! cmp -s "$tmp/a.$k" "$tmp/b.$k"; then
			echo "FAIL: $d vs $t: '$*' differs in std$k:"
			diff -u "$tmp/a.$k" "$tmp/b.$k" | head -20
			fail=1
		fi
	done
}

# every_command DIR TAR: each command that reads a root, text and JSON.
every_command() {
	for args in "report" "mem" "mem --explain" "buddy" "buddy --check" "frag" \
		"frag --kernel-format" "predict" "predict --order 9 --gfp THP" "hugepages" \
		"slab" "slab --per-node" "procs" "physmap" "sim buddy --steps 1000" \
		"predict --order 9 --simulate default --steps 1000"; do
		# shellcheck disable=SC2086
		same "$1" "$2" $args
		# shellcheck disable=SC2086
		same "$1" "$2" -J $args
	done
	for p in "$1"/proc/[0-9]*; do
		[ -d "$p" ] || continue
		pid=${p##*/}
		same "$1" "$2" maps "$pid"
		same "$1" "$2" maps -X "$pid"
		same "$1" "$2" -J maps "$pid"
	done
}

for d in "$roots"/*/; do
	d=${d%/}
	name=${d##*/}
	t=$tmp/$name.tar
	if ! tar -C "$d" -cf "$t" .; then
		echo "FAIL: tar -cf of $d"
		fail=1
		continue
	fi
	every_command "$d" "$t"
done

# A tar made with a top directory ("tar -cf x.tar snap") reads the same.
mkdir -p "$tmp/top"
cp -r "$roots/x86_64-6.18-slab" "$tmp/top/snap"
tar -C "$tmp/top" -cf "$tmp/top.tar" snap
same "$roots/x86_64-6.18-slab" "$tmp/top.tar" slab
same "$roots/x86_64-6.18-slab" "$tmp/top.tar" -J report

# snapshot --tar against snapshot DIR, from a fixture root and from live.
live=$tmp/live
if ! "$FRAGSCOPE" snapshot "$live" >/dev/null 2>"$tmp/live.err"; then
	echo "FAIL: snapshot of this machine:"
	cat "$tmp/live.err"
	fail=1
fi
for src in "$roots/x86_64-6.18-combined" "$live"; do
	n=${src##*/}
	SOURCE_DATE_EPOCH=1700000000 "$FRAGSCOPE" --root "$src" snapshot --tar "$tmp/$n-1.tar" >/dev/null 2>&1 &&
	SOURCE_DATE_EPOCH=1700000000 "$FRAGSCOPE" --root "$src" snapshot --tar - >"$tmp/$n-2.tar" 2>/dev/null &&
	SOURCE_DATE_EPOCH=1700000000 "$FRAGSCOPE" --root "$src" snapshot "$tmp/$n-dir" >/dev/null 2>&1 || {
		echo "FAIL: snapshot of $src"
		fail=1
		continue
	}
	if ! cmp -s "$tmp/$n-1.tar" "$tmp/$n-2.tar"; then
		echo "FAIL: two snapshot --tar runs of $src with SOURCE_DATE_EPOCH differ"
		fail=1
	fi
	mkdir "$tmp/$n-x"
	if ! tar -C "$tmp/$n-x" -xf "$tmp/$n-1.tar"; then
		echo "FAIL: GNU tar -x of snapshot --tar of $src"
		fail=1
	elif ! diff -r "$tmp/$n-dir" "$tmp/$n-x"; then
		echo "FAIL: snapshot --tar of $src, extracted, differs from snapshot DIR"
		fail=1
	fi
	if ! tar -tvf "$tmp/$n-1.tar" >"$tmp/list" 2>"$tmp/list.err" || [ -s "$tmp/list.err" ] ||
	   ! grep -q ' root/root .* proc/meminfo$' "$tmp/list" ||
	   ! grep -q '^drwxr-xr-x root/root .* proc/$' "$tmp/list" ||
	   ! grep -q ' 2023-11-14 22:13 fragscope-snapshot.json$' "$tmp/list"; then
		echo "FAIL: tar -tvf of snapshot --tar of $src:"
		head -5 "$tmp/list" "$tmp/list.err"
		fail=1
	fi
	every_command "$tmp/$n-dir" "$tmp/$n-1.tar"
done

# Writing FILE: an existing file needs --force, a symlink is never written
# through, and no temporary file is left behind.
src=$roots/x86_64-6.18-combined
out=$tmp/w
mkdir "$out"
echo keep >"$out/old.tar"
"$FRAGSCOPE" --root "$src" snapshot --tar "$out/old.tar" >/dev/null 2>"$tmp/w.err"
rc=$?
[ $rc -eq 5 ] && grep -q 'file exists' "$tmp/w.err" && [ "$(cat "$out/old.tar")" = keep ] ||
	{ echo "FAIL: an existing FILE was not refused (exit $rc)"; fail=1; }
ln -s old.tar "$out/link.tar"
"$FRAGSCOPE" --root "$src" snapshot --force --tar "$out/link.tar" >/dev/null 2>"$tmp/w.err"
rc=$?
[ $rc -eq 5 ] && [ -L "$out/link.tar" ] && [ "$(cat "$out/old.tar")" = keep ] ||
	{ echo "FAIL: a symlink FILE was written through or replaced (exit $rc)"; fail=1; }
"$FRAGSCOPE" --root "$src" snapshot --force --tar "$out/old.tar" >/dev/null 2>&1 &&
	tar -tf "$out/old.tar" | grep -qx proc/meminfo ||
	{ echo "FAIL: --force did not replace FILE with an archive"; fail=1; }
[ "$(ls -A "$out" | grep -c tmp)" -eq 0 ] || { echo "FAIL: temporary files left in $out"; ls -A "$out"; fail=1; }

echo "$ncmp comparisons"
[ "$ncmp" -gt 700 ] || { echo "FAIL: too few comparisons ($ncmp)"; fail=1; }
exit $fail
