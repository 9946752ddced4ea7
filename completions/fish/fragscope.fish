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
            case -o --output --root --pid --tar --fail-on --order --gfp --node --count -s --sort --filter --watch -A --range --top --select --format -d --delay --iterations
                set skip 1
                continue
            case '--*'
                continue
            case '-*o' '-*s' '-*A'
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
            case slabinfo
                echo slab
                return
            case pmap
                echo maps
                return
        end
        set -l found
        for c in report mem buddy frag predict hugepages slab maps procs sim top slabtop physmap diff export snapshot
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
    contains -- "$(__fragscope_cmd)" $argv
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
            case -o --output --root --pid --tar --fail-on --order --gfp --node --count -s --sort --filter --watch -A --range --top --select --format -d --delay --iterations
                set skip 1
            case '--*'
            case '-*o' '-*s' '-*A'
                set skip 1
            case '-*'
            case '*'
                set npos (math $npos + 1)
        end
    end
    # The first positional word is the command itself.
    test $npos -le 1
end

# The --root directory on the command line, if any.
function __fragscope_root
    set -l tokens (commandline -opc)
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
    echo $root
end

# Column names for -o, from "fragscope [--root DIR] CMD -o help".  --check,
# --kernel-format and --per-node change the tables; predict needs an order
# to list its columns, and shows SERVED only with a count above 1.  slab
# needs root to list them (it reads /proc/slabinfo first): without, its
# fixed columns.
function __fragscope_columns
    set -l tokens (commandline -opc)
    set -l prog $tokens[1]
    set -l root (__fragscope_root)
    set -l cmd (__fragscope_cmd)
    test -n "$cmd"; or set cmd report
    set -l rootarg
    test -n "$root"; and set rootarg --root $root
    set -l extra
    contains -- --check $tokens; and set -a extra --check
    contains -- --kernel-format $tokens; and set -a extra --kernel-format
    test "$cmd" = slab; and contains -- --per-node $tokens; and set -a extra --per-node
    test "$cmd" = predict; and set -a extra --order 0 --count 2
    set -l cur (commandline -ct | string replace -r -- '^--output=' '' | string replace -r -- '^-o' '')
    set -l done_part (string match -r -- '^.*,' $cur)
    set -l cols ($prog $rootarg $cmd $extra -o help 2>/dev/null | string match -r -- '^  \S+' | string trim | string lower | sort -u)
    if test (count $cols) -eq 0; and test "$cmd" = slab
        set cols objs active use obj-size slot-size slabs obj/slab cache-size waste waste% partial order aliases reclaimable name alias-names
    end
    for col in $cols help
        printf "%s%s\n" "$done_part" $col
    end
end

# Sort keys for procs -s: its columns.
function __fragscope_procs_keys
    printf '%s\t%s\n' pid 'process ID' user 'user name' rss 'resident memory' \
        pss 'proportional share (the default)' uss 'private memory' swap 'swapped out' \
        command 'command line'
end

# PIDs of the processes under --root (a snapshot), else of this machine.
function __fragscope_maps_pids
    set -l root (__fragscope_root)
    if test -n "$root"
        string replace -r -f -- '^.*/proc/(\d+)$' '$1' $root/proc/*
    else
        __fragscope_pids
    end
end

# Sort keys for slab -s: slabtop's letters and fragscope's names.
function __fragscope_sort_keys
    printf '%s\t%s\n' a 'active objects' b 'objects per slab' c 'cache size (the default)' \
        l slabs v 'active slabs' n name o objects p 'pages per slab' s 'object size' \
        u use w waste r 'partial slabs' \
        active 'active objects' objs-per-slab 'objects per slab' size 'cache size (the default)' \
        slabs slabs active-slabs 'active slabs' name name objs objects \
        pages-per-slab 'pages per slab' obj-size 'object size' use use waste waste \
        partial 'partial slabs'
end

# Allocation classes for --gfp, from "fragscope predict --gfp help".
function __fragscope_gfp
    set -l prog (commandline -opc)[1]
    set -l found 0
    for line in ($prog predict --gfp help 2>/dev/null | string match -r -- '^  \S.*')
        set -l f (string split -n ' ' -- (string trim -- $line))
        printf '%s\t%s\n' $f[1] (string join ' ' -- $f[3..-1])
        set found 1
    end
    if test $found -eq 0
        printf '%s\n' GFP_KERNEL GFP_ATOMIC GFP_NOWAIT GFP_NOIO GFP_USER GFP_HIGHUSER_MOVABLE GFP_DMA GFP_DMA32 THP THP_LIGHT hugetlb
    end
    printf 'help\tlist the classes\n'
end

# NUMA nodes for --node: the nodes of buddyinfo below the root, else sysfs.
function __fragscope_nodes
    set -l root (__fragscope_root)
    test -n "$root"; or set root /
    if test -r $root/proc/buddyinfo
        string match -r -g -- '^Node (\d+),' <$root/proc/buddyinfo | sort -un
    else
        string replace -r -f -- '^.*/node(\d+)$' '$1' $root/sys/devices/system/node/node*
    end
end

# Orders for --order: 0 to the largest order buddyinfo lists, else 0-10.
function __fragscope_orders
    set -l root (__fragscope_root)
    test -n "$root"; or set root /
    set -l n 11
    if test -r $root/proc/buddyinfo
        set -l line (string match -r -- '^Node .*' <$root/proc/buddyinfo)[1]
        set -l f (string split -n ' ' -- $line)
        test (count $f) -gt 4; and set n (math (count $f) - 4)
    end
    seq 0 (math $n - 1)
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
complete -c fragscope -n __fragscope_no_cmd -a frag -d 'fragmentation indices per zone and order; proactive compaction score'
complete -c fragscope -n __fragscope_no_cmd -a predict -d 'will an order-N allocation of a GFP class succeed now, where, and why not'
complete -c fragscope -n __fragscope_no_cmd -a hugepages -d 'hugetlb pools per node and how many more pages free lists could give'
complete -c fragscope -n __fragscope_no_cmd -a slab -d "slab caches: slabtop's columns plus waste, partial slabs, aliases; --watch for growth"
complete -c fragscope -n __fragscope_no_cmd -a maps -d "a process's address space: pmap's views, summary by kind, holes"
complete -c fragscope -n __fragscope_no_cmd -a procs -d 'processes by memory: RSS, PSS, USS, swap'
complete -c fragscope -n __fragscope_no_cmd -a sim -d "simulate the buddy and slab allocators from this machine's state under a workload"
complete -c fragscope -n __fragscope_no_cmd -a top -d 'live dashboard: memory, free blocks, indices, outlook, reclaim, slab, processes'
complete -c fragscope -n __fragscope_no_cmd -a slabtop -d 'live slab caches, slabtop-compatible, plus waste, partial slabs and growth'
complete -c fragscope -n __fragscope_no_cmd -a physmap -d 'physical memory, one character per pageblock: free, movable, kernel, mixed (root)'
complete -c fragscope -n __fragscope_no_cmd -a diff -d 'what changed between two roots (snapshots, tar archives, / for live)'
complete -c fragscope -n __fragscope_no_cmd -a export -d 'OpenMetrics text for Prometheus (node_exporter textfile collector); -o FILE writes atomically'
complete -c fragscope -n __fragscope_no_cmd -a snapshot -d 'capture every readable input into DIR (or a tar archive) for --root'

# Global options.
complete -c fragscope -s J -l json -d 'print one JSON document'
complete -c fragscope -n 'not __fragscope_cmd_is export' -s o -l output -x -a '(__fragscope_columns)' -d 'columns to print, comma-separated'
complete -c fragscope -n '__fragscope_cmd_is export' -s o -l output -r -F -d 'export: the FILE to write, atomically'
complete -c fragscope -s r -l raw -d 'raw table: no alignment, blanks escaped'
complete -c fragscope -s n -l noheadings -d 'do not print table headings'
complete -c fragscope -s b -l bytes -d 'print sizes in bytes, not KiB/MiB/GiB'
# Optional argument: fish offers it only as --color=WHEN, as getopt requires.
complete -c fragscope -l color -f -a 'auto always never' -d 'colour: auto, always or never'
complete -c fragscope -l root -r -F -d 'read a snapshot (directory or tar archive) or captured tree, not this machine'
complete -c fragscope -s h -l help -d 'show this help and exit'
complete -c fragscope -s V -l version -d 'show the version and exit'

# Command options.
complete -c fragscope -n '__fragscope_cmd_is mem' -l explain -d 'mem: describe each field'
complete -c fragscope -n '__fragscope_cmd_is buddy' -l check -d 'buddy: recompute watermarks and protection; exit 1 on a mismatch'
complete -c fragscope -n '__fragscope_cmd_is sim' -l check -d 'sim: check invariants every step'
complete -c fragscope -n '__fragscope_cmd_is frag' -l kernel-format -d 'frag: print the indices exactly as debugfs extfrag files do'
complete -c fragscope -n '__fragscope_cmd_is predict' -l order -x -a '(__fragscope_orders)' -d 'predict: allocation order (2^N pages)'
complete -c fragscope -n '__fragscope_cmd_is predict' -l gfp -x -a '(__fragscope_gfp)' -d 'predict: allocation class'
complete -c fragscope -n '__fragscope_cmd_is predict; or __fragscope_cmd_is hugepages' -l node -x -a '(__fragscope_nodes)' -d 'predict, hugepages: preferred or only NUMA node'
complete -c fragscope -n '__fragscope_cmd_is predict' -l count -x -d 'predict: allocations in a row that must succeed (default 1)'
complete -c fragscope -n '__fragscope_cmd_is predict' -l simulate -r -a 'default thp-churn pagecache slab-heavy' -d 'predict: the step at which it first fails under a workload'
complete -c fragscope -n '__fragscope_cmd_is predict' -l steps -x -d 'predict --simulate: stop after N steps'
complete -c fragscope -n '__fragscope_cmd_is predict' -l seed -x -d 'predict --simulate: random seed (default 1)'
complete -c fragscope -n '__fragscope_cmd_is slab' -l count -x -d 'slab --watch: intervals to watch (default: until Ctrl-C)'
complete -c fragscope -n '__fragscope_cmd_is slab' -s s -l sort -x -a '(__fragscope_sort_keys)' -d 'slab: sort by a slabtop key or waste, partial'
complete -c fragscope -n '__fragscope_cmd_is slab' -l filter -x -d 'slab: only caches whose name or an alias matches (extended regex)'
complete -c fragscope -n '__fragscope_cmd_is slab' -l per-node -d 'slab: add per-node columns'
complete -c fragscope -n '__fragscope_cmd_is slab' -l watch -x -d 'slab: sample every SECS seconds and show growth'
complete -c fragscope -n '__fragscope_cmd_is slab' -l no-sysfs -d 'slab: read /proc/slabinfo only, not /sys/kernel/slab'
complete -c fragscope -n '__fragscope_cmd_is slab' -l check-geometry -d 'slab: compare each cache\'s geometry with the kernel\'s rule'
complete -c fragscope -n '__fragscope_cmd_is slab sim' -l cpus -x -d 'slab --check-geometry, sim slab: present CPUs for the rule'
complete -c fragscope -n '__fragscope_cmd_is slab sim' -l slab-rule -x -a '6.7 6.1' -d 'slab --check-geometry, sim slab: slab order rule'
complete -c fragscope -n '__fragscope_cmd_is maps' -s x -l extended -d 'maps: pmap -x view (RSS, dirty) from smaps'
complete -c fragscope -n '__fragscope_cmd_is maps' -s X -l smaps -d 'maps: pmap -X view from smaps; twice (-XX): every smaps field'
complete -c fragscope -n '__fragscope_cmd_is maps' -s q -l quiet -d 'maps: no header or total lines'
complete -c fragscope -n '__fragscope_cmd_is maps' -s A -l range -x -d 'maps: only mappings that overlap the hex address range LOW,HIGH'
complete -c fragscope -n '__fragscope_cmd_is maps' -s p -l show-path -d 'maps: full paths, not base names'
complete -c fragscope -n '__fragscope_cmd_is maps' -l summary -d 'maps: the address space by kind (text, data, heap, stack, ...)'
complete -c fragscope -n '__fragscope_cmd_is maps' -l holes -d 'maps: the largest unmapped gaps'
complete -c fragscope -n '__fragscope_cmd_is maps' -l rollup -d 'maps: totals from smaps_rollup only (cheap)'
complete -c fragscope -n '__fragscope_cmd_is maps; or __fragscope_cmd_is procs' -l top -x -d 'maps --holes: the N largest gaps; procs: the first N rows'
complete -c fragscope -n '__fragscope_cmd_is maps' -x -a '(__fragscope_maps_pids)'
complete -c fragscope -n '__fragscope_cmd_is procs' -s s -l sort -x -a '(__fragscope_procs_keys)' -d 'procs: sort by a column'
complete -c fragscope -n '__fragscope_cmd_is procs' -l no-pss -d 'procs: skip smaps_rollup (no PSS, USS; cheap)'
complete -c fragscope -n '__fragscope_cmd_is sim' -f -a buddy -d 'the buddy allocator simulator'
complete -c fragscope -n '__fragscope_cmd_is sim' -f -a slab -d 'the slab allocator simulator on the buddy simulator'
complete -c fragscope -n '__fragscope_cmd_is sim' -f -a record -d 'record a kmem trace for --replay'
complete -c fragscope -n '__fragscope_cmd_is sim' -l cpu-slabs -d 'sim slab: simulate the per-CPU slab and per-CPU partial slabs'
complete -c fragscope -n '__fragscope_cmd_is sim' -l what-if -d 'sim slab: kmalloc size classes against a dedicated cache'
complete -c fragscope -n '__fragscope_cmd_is sim' -l object-size -x -d 'sim slab --what-if: the object size in bytes'
complete -c fragscope -n '__fragscope_cmd_is sim' -l count -x -d 'sim slab --what-if: objects (default 1000000)'
complete -c fragscope -n '__fragscope_cmd_is sim' -l replay -r -d 'sim buddy: replay a kmem trace instead of a workload'
complete -c fragscope -n '__fragscope_cmd_is sim' -l seconds -x -d 'sim record: how long to record (default 1)'
complete -c fragscope -n '__fragscope_cmd_is sim' -l pcp -d 'sim buddy: simulate per-CPU page lists too'
complete -c fragscope -n '__fragscope_cmd_is sim' -l seed-from -x -a 'live root kpageflags empty:16G' -d 'sim: the starting state: live, root or kpageflags'
complete -c fragscope -n '__fragscope_cmd_is sim' -l workload -r -a 'default thp-churn pagecache slab-heavy slab-churn help' -d 'sim: a built-in workload or a spec file'
complete -c fragscope -n '__fragscope_cmd_is sim' -l steps -x -d 'sim: stop after N steps'
complete -c fragscope -n '__fragscope_cmd_is sim' -l seed -x -d 'sim: random seed (default 1)'
complete -c fragscope -n '__fragscope_cmd_is sim' -l sample -x -d 'sim: a timeline row every K steps'
complete -c fragscope -n '__fragscope_cmd_is sim' -l bench -x -a W1 -d 'sim: run the W1 throughput benchmark instead'
complete -c fragscope -n '__fragscope_cmd_is sim' -l pages -x -d 'sim --bench: pages in the zone (default 4194304)'
complete -c fragscope -n '__fragscope_cmd_is sim' -l emit-root -x -a '(__fish_complete_directories)' -d 'sim: write the end state as a root for --root DIR'
complete -c fragscope -n '__fragscope_cmd_is sim' -l force -d 'sim --emit-root: replace a non-empty DIR; sim record: an existing FILE'
complete -c fragscope -n '__fragscope_cmd_is diff' -l fail-on -x -a "'order9-blocks-dropped>50%' 'verdicts-worse>0' 'free-dropped>' 'slab-grew>' 'meminfo:MemAvailable-dropped>'" -d 'diff: exit 1 if a condition holds'
complete -c fragscope -n '__fragscope_cmd_is diff' -F
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l pid -x -a '(__fragscope_pids)' -d 'snapshot: also capture this process (repeatable)'
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l force -d 'snapshot: replace a non-empty DIR'
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l tar -r -F -d 'snapshot: write a tar archive to FILE (-: stdout) instead of DIR'
complete -c fragscope -n '__fragscope_cmd_is snapshot' -l kpageflags -d 'snapshot: also copy /proc/kpageflags (for sim --seed-from kpageflags)'
complete -c fragscope -n '__fragscope_cmd_is export' -l select -x -a 'buddy frag watermarks predict hugepages slab meminfo compaction help' -d 'export: only these metric groups, comma-separated'
complete -c fragscope -n '__fragscope_cmd_is export' -l order -x -a '(__fragscope_orders)' -d 'export: orders, comma-separated (default 0,3,9)'
complete -c fragscope -n '__fragscope_cmd_is export' -l gfp -x -a '(__fragscope_gfp)' -d 'export: classes, comma-separated (default GFP_KERNEL,GFP_ATOMIC,THP)'
complete -c fragscope -n '__fragscope_cmd_is export' -l format -x -a 'openmetrics prometheus' -d 'export: openmetrics (default) or prometheus (text 0.0.4)'
# slabtop and top: -o, -b and -n are --once, --batch and --iterations there.
complete -c fragscope -n '__fragscope_cmd_is slabtop; or __fragscope_cmd_is top' -s d -l delay -x -d 'slabtop, top: seconds between refreshes (default 3)'
complete -c fragscope -n '__fragscope_cmd_is slabtop; or __fragscope_cmd_is top' -l once -d 'slabtop, top: print one frame to stdout and exit (-o)'
complete -c fragscope -n '__fragscope_cmd_is slabtop; or __fragscope_cmd_is top' -l batch -d 'slabtop, top: print frames to stdout, no screen (-b)'
complete -c fragscope -n '__fragscope_cmd_is slabtop; or __fragscope_cmd_is top' -l iterations -x -d 'slabtop, top --batch: stop after N frames (-n)'
complete -c fragscope -n '__fragscope_cmd_is slabtop' -s s -l sort -x -a 'a b c l v n o p s u w r g' -d 'slabtop: sort key'
complete -c fragscope -n '__fragscope_cmd_is slabtop' -l filter -x -d 'slabtop: only caches whose name or an alias matches'
complete -c fragscope -n '__fragscope_cmd_is slabtop' -l no-sysfs -d 'slabtop: read /proc/slabinfo only'
complete -c fragscope -n '__fragscope_cmd_is top' -s s -l sort -x -a 'rss pss uss swap' -d 'top: process sort column'
complete -c fragscope -n '__fragscope_cmd_is top' -l no-pss -d 'top: skip smaps_rollup (no PSS; cheap)'
complete -c fragscope -n __fragscope_snapshot_needs_dir -x -a '(__fish_complete_directories)'
