# fish completion for fragscope(1)
#
# Options may come before or after the command; command options are
# offered only once their command is known.

# Print the command on the command line (exact name, alias or unique
# prefix), "unknown" for a word that is none, nothing if there is none yet.
function __fragscope_cmd
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case --
                break
            case -o --output --root --pid
                set skip 1
                continue
            case '--*'
                continue
            case '-*o'
                set skip 1
                continue
            case '-*'
                continue
        end
        switch $t
            case meminfo
                echo mem
                return
            case buddyinfo
                echo buddy
                return
        end
        set -l found
        for c in report mem buddy snapshot
            if test "$c" = "$t"
                echo $c
                return
            end
            if string match -q -- "$t*" $c
                set -a found $c
            end
        end
        if test (count $found) -eq 1
            echo $found
        else
            echo unknown
        end
        return
    end
end

function __fragscope_no_cmd
    test -z "$(__fragscope_cmd)"
end

function __fragscope_cmd_is
    test "$(__fragscope_cmd)" = "$argv[1]"
end

# True when snapshot still needs its DIR argument.
function __fragscope_snapshot_needs_dir
    __fragscope_cmd_is snapshot; or return 1
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    set -l npos 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -o --output --root --pid
                set skip 1
            case '--*'
            case '-*o'
                set skip 1
            case '-*'
            case '*'
                set npos (math $npos + 1)
        end
    end
    # The first positional word is the command itself.
    test $npos -le 1
end

# Column names for -o, from "fragscope [--root DIR] CMD -o help".
function __fragscope_columns
    set -l tokens (commandline -opc)
    set -l prog $tokens[1]
    set -l root
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --root
                set i (math $i + 1)
                set root $tokens[$i]
            case '--root=*'
                set root (string replace -- '--root=' '' $tokens[$i])
        end
        set i (math $i + 1)
    end
    set -l cmd (__fragscope_cmd)
    test -n "$cmd"; or set cmd report
    set -l rootarg
    test -n "$root"; and set rootarg --root $root
    set -l cur (commandline -ct | string replace -r -- '^--output=' '' | string replace -r -- '^-o' '')
    set -l done_part (string match -r -- '^.*,' $cur)
    for col in ($prog $rootarg $cmd -o help 2>/dev/null | string match -r -- '^  \S+' | string trim | string lower | sort -u) help
        printf "%s%s\n" "$done_part" $col
    end
end

function __fragscope_pids
    # fish globs have no [0-9]: keep the numeric entries of /proc.
    for pid in (string replace -r -f -- '^/proc/(\d+)$' '$1' /proc/*)
        set -l comm (cat /proc/$pid/comm 2>/dev/null)
        printf '%s\t%s\n' $pid "$comm"
    end
end

complete -c fragscope -f

# Commands.
complete -c fragscope -n __fragscope_no_cmd -a report -d 'one-screen report (the default)'
complete -c fragscope -n __fragscope_no_cmd -a mem -d 'memory summary like free(1), then every /proc/meminfo field'
complete -c fragscope -n __fragscope_no_cmd -a buddy -d 'free blocks per node, zone, order and migratetype; watermarks'
complete -c fragscope -n __fragscope_no_cmd -a snapshot -d 'capture every readable input into DIR for --root'

# Global options.
complete -c fragscope -s J -l json -d 'print one JSON document'
complete -c fragscope -s o -l output -x -a '(__fragscope_columns)' -d 'columns to print, comma-separated'
complete -c fragscope -s r -l raw -d 'raw table: no alignment, blanks escaped'
complete -c fragscope -s n -l noheadings -d 'do not print table headings'
complete -c fragscope -s b -l bytes -d 'print sizes in bytes, not KiB/MiB/GiB'
# Optional argument: fish offers it only as --color=WHEN, as getopt requires.
complete -c fragscope -l color -f -a 'auto always never' -d 'colour: auto, always or never'
complete -c fragscope -l root -x -a '(__fish_complete_directories)' -d 'read a snapshot or captured tree, not this machine'
complete -c fragscope -s h -l help -d 'show this help and exit'
complete -c fragscope -s V -l version -d 'show the version and exit'

# Command options.
complete -c fragscope -n '__fragscope_cmd_is mem' -l explain -d 'mem: describe each field'
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l pid -x -a '(__fragscope_pids)' -d 'snapshot: also capture this process (repeatable)'
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l force -d 'snapshot: replace a non-empty DIR'
complete -c fragscope -n __fragscope_snapshot_needs_dir -x -a '(__fish_complete_directories)'
