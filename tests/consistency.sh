#!/bin/sh
# consistency.sh - --help, the man page and the bash/zsh/fish completions
# must name the same commands and options (curl's test1139 idea).
#
# usage: consistency.sh /path/to/fragscope /path/to/source_root
#
# From "fragscope --help" it takes the first word of each line of the
# "Commands:" section, and every --long and -x option in the left column
# of the "Options:" and "Command options:" sections.  Each must appear in
# man/fragscope.1.scd and in the three completion files.  Conversely,
# every --long option a completion file mentions must exist in --help, so
# stale completions are caught.  One line per problem; exit 1 if any.
#
# Plain POSIX sh + grep, sed, awk.

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 /path/to/fragscope /path/to/source_root" >&2
	exit 2
fi
prog=$1
src=$2

man="$src/man/fragscope.1.scd"
bash_c="$src/completions/bash/fragscope"
zsh_c="$src/completions/zsh/_fragscope"
fish_c="$src/completions/fish/fragscope.fish"

problems=0
checks=0
problem() {
	echo "$*"
	problems=$((problems + 1))
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/consistency.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

if ! "$prog" --help >"$tmp/help" 2>"$tmp/help.err"; then
	echo "cannot run '$prog --help':" >&2
	cat "$tmp/help.err" >&2
	exit 2
fi

for f in "$man" "$bash_c" "$zsh_c" "$fish_c"; do
	[ -r "$f" ] || problem "missing file: $f"
done
[ "$problems" -eq 0 ] || { echo "FAIL: $problems problem(s)"; exit 1; }

# Commands: first word of each indented line of the "Commands:" section.
awk '
	/^[^ \t]/ { sect = $0; next }
	/^[ \t]*$/ { sect = ""; next }
	sect == "Commands:" { print $1 }
' "$tmp/help" >"$tmp/commands"

# Options: the left column (up to the first run of two blanks) of each
# line of "Options:" and "Command options:", split into words.
awk '
	/^[^ \t]/ { sect = $0; next }
	/^[ \t]*$/ { sect = ""; next }
	sect == "Options:" || sect == "Command options:" {
		line = $0
		sub(/^[ \t]+/, "", line)
		i = index(line, "  ")
		if (i) line = substr(line, 1, i - 1)
		n = split(line, w, /[ ,=\[\]]+/)
		for (k = 1; k <= n; k++)
			if (w[k] ~ /^--[A-Za-z0-9][-A-Za-z0-9]*$/ || w[k] ~ /^-[A-Za-z0-9]$/)
				print w[k]
	}
' "$tmp/help" | sort -u >"$tmp/options"
grep -e '^--' "$tmp/options" >"$tmp/long" || :

[ -s "$tmp/commands" ] || problem "no commands found in '$prog --help' (Commands: section)"
grep -q -e '^--' "$tmp/options" || problem "no --long options found in '$prog --help'"
grep -q -e '^-[^-]' "$tmp/options" || problem "no short options found in '$prog --help'"

# has FILE ERE: does FILE match the extended regular expression?
has() {
	grep -E -q -e "$2" "$1"
}
# A word delimited by anything that cannot be part of a command or option name.
B='(^|[^A-Za-z0-9_-])'
E='($|[^A-Za-z0-9_-])'

check_cmd() {
	cmd=$1
	checks=$((checks + 1))
	# man: a definition term in COMMANDS, "*cmd*" at the start of a line.
	has "$man" "^\*$cmd\*" || problem "missing in man page: command $cmd"
	# bash: offered in a "compgen -W" word list.
	has "$bash_c" "compgen .*-W .*$B$cmd$E" || problem "missing in bash completion: command $cmd"
	# zsh: a "name:description" entry for _describe.
	has "$zsh_c" "['\"]$cmd:" || problem "missing in zsh completion: command $cmd"
	# fish: "complete ... -a cmd".
	has "$fish_c" "^complete .*-a ['\"]?$cmd$E" || problem "missing in fish completion: command $cmd"
}

check_opt() {
	opt=$1
	checks=$((checks + 1))
	case $opt in
	--*)
		name=${opt#--}
		fish_re="^complete .*(-l|--long-option) +$name$E"
		;;
	*)
		name=${opt#-}
		fish_re="^complete .*(-s|--short-option) +$name$E"
		;;
	esac
	# man: a definition term naming the option in bold, as in
	# "*-o*, *--output* _COLS_" followed by its tab-indented description.
	grep -q -F -e "*$opt*" "$tmp/man-terms" || problem "missing in man page: $opt"
	has "$bash_c" "$B$opt$E" || problem "missing in bash completion: $opt"
	has "$zsh_c" "$B$opt$E" || problem "missing in zsh completion: $opt"
	has "$fish_c" "$fish_re" || problem "missing in fish completion: $opt"
}

# Definition terms of the man page: a line starting with "*-" whose next
# line is indented with a tab (scdoc's term / description layout).
awk 'prev ~ /^\*-/ && /^\t/ { print prev } { prev = $0 }' "$man" >"$tmp/man-terms"

while read -r c; do
	check_cmd "$c"
done <"$tmp/commands"
while read -r o; do
	check_opt "$o"
done <"$tmp/options"

# Conversely: every --long option named in a completion file must exist.
# bash and zsh: any "--name" token (comments included: they should not
# mention options that are gone either).  fish: "-l name" on complete
# lines, and "--name" tokens anywhere.
stale() {
	file=$1 shell=$2
	{
		grep -o -E -e "$B--[A-Za-z0-9][-A-Za-z0-9]*" "$file" | sed 's/^[^-]*//'
		if [ "$shell" = fish ]; then
			grep -E -e '^complete ' "$file" |
				grep -o -E -e '(-l|--long-option) +[A-Za-z0-9][-A-Za-z0-9]*' |
				sed -E 's/^(-l|--long-option) +/--/'
		fi
	} | sort -u | while read -r o; do
		[ "$shell" = fish ] && [ "$o" = --long-option ] && continue
		[ "$shell" = fish ] && [ "$o" = --short-option ] && continue
		grep -q -x -F -e "$o" "$tmp/long" ||
			echo "stale in $shell completion: $o (not in --help)"
	done
}
for pair in "bash:$bash_c" "zsh:$zsh_c" "fish:$fish_c"; do
	stale "${pair#*:}" "${pair%%:*}"
done >"$tmp/stale"
if [ -s "$tmp/stale" ]; then
	cat "$tmp/stale"
	problems=$((problems + $(wc -l <"$tmp/stale")))
fi

ncmd=$(wc -l <"$tmp/commands")
nopt=$(wc -l <"$tmp/options")
if [ "$problems" -ne 0 ]; then
	echo "FAIL: $problems problem(s); checked $ncmd commands and $nopt options against the man page and 3 completions"
	exit 1
fi
echo "ok: $ncmd commands and $nopt options agree between --help, the man page and the bash, zsh and fish completions"
exit 0
