#!/bin/sh
# run-case.sh NAME - one CLI golden test.
#
# cases/NAME.args holds the command line (shell words after "fragscope");
# @ROOTS@ stands for tests/fixtures/roots.  Optional directives on later
# lines: "stdout=FILE" sends stdout to FILE (e.g. /dev/full) instead of
# capturing it.  The run's stdout, stderr and exit status are compared with
# expected/NAME.out, .err and .rc.  JSON output (-J) must pass `jq -e .`
# and is compared pretty-printed.  A missing golden file is written from
# this run and the test fails, so new cases seed themselves for review
# (git's t4013 habit).
set -u
name=$1
: "${FRAGSCOPE:?}" "${CASES:?}" "${FIXTURES:?}"
roots=$FIXTURES/roots
args_file=$CASES/cases/$name.args
exp=$CASES/expected/$name
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

args=$(sed -n 1p "$args_file" | sed "s|@ROOTS@|$roots|g")
stdout_to=$(sed -n 's/^stdout=//p' "$args_file")

# Stable output: no colour, no locale surprises.
export NO_COLOR=1 LC_ALL=C
if [ -n "$stdout_to" ]; then
	eval "\"$FRAGSCOPE\" $args" >"$stdout_to" 2>"$tmp/err"
else
	eval "\"$FRAGSCOPE\" $args" >"$tmp/out" 2>"$tmp/err"
fi
echo $? >"$tmp/rc"
[ -e "$tmp/out" ] || : >"$tmp/out"

# Normalise the fixture path so goldens do not depend on the checkout.
sed -i "s|$roots|@ROOTS@|g" "$tmp/out" "$tmp/err"

fail=0
case " $args " in
*" -J "*|*" --json "*)
	if [ -s "$tmp/out" ]; then
		if ! jq -e . "$tmp/out" >/dev/null 2>&1; then
			echo "not valid JSON (jq -e . failed):"
			head -c 2000 "$tmp/out"
			fail=1
		else
			jq . "$tmp/out" >"$tmp/out.pretty" && mv "$tmp/out.pretty" "$tmp/out"
		fi
	fi
	;;
esac

for k in out err rc; do
	if [ ! -e "$exp.$k" ]; then
		cp "$tmp/$k" "$exp.$k"
		echo "seeded missing golden $exp.$k: review it and rerun"
		fail=1
	elif ! diff -u "$exp.$k" "$tmp/$k"; then
		fail=1
	fi
done
exit $fail
