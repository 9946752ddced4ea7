#!/bin/sh
# slabtop.sh - fragscope slabtop in tmux on a fixture root: the first
# screen, sort keys, the / filter, help, resizes to large, small and
# below-minimum sizes, and the terminal restored after q and after SIGTERM.
set -u
name=slabtop
. "$(dirname "$0")/tmux-lib.sh"
root=$FIXTURES/roots/x86_64-6.18-slab

start_shell
T send-keys "stty -g >$tmp/stty.before; clear" Enter
T send-keys "$FRAGSCOPE --root $root slabtop -d 3600; echo EXIT=\$?" Enter
wait_for '^  OBJS ACTIVE' || exit 1
wait_for 'extent_status' || exit 1
golden start
check '[ "$(T display -p "#{alternate_on}")" = 1 ]' "not in the alternate screen while running"
# NO_COLOR: the column heading is reverse video, and no colour is used.
T capture-pane -p -e >"$tmp/attr"
check 'grep -q "$(printf "\033")\[7m  OBJS" "$tmp/attr"' "heading not in reverse video"
check '! grep -q "$(printf "\033")\[3[0-7]m" "$tmp/attr"' "colour used although NO_COLOR is set"

# Sort by cache size (slabtop's c), then by waste (w).
T send-keys c
wait_for '^277088 277066 .* ext4_inode_cache$' || fail=1
screen | sed -n 8p | grep -q ext4_inode_cache || { echo "c: first row is not ext4_inode_cache"; fail=1; }
golden sort-c
T send-keys w
wait_for '^  5424 ' || fail=1
screen | sed -n 9p | grep -q kmalloc-512 || { echo "w: second row is not kmalloc-512"; fail=1; }

# SPACE refreshes: the growth column gets values (the fixture does not change).
T send-keys Space
wait_for ' \+0\.0 ext4_inode_cache$' || fail=1

# Filter: only kmalloc-N caches.
T send-keys /
T send-keys -l '^kmalloc-[0-9]+$'
T send-keys Enter
wait_for 'filter: \^kmalloc' || fail=1
golden filter
check '! screen | sed -n "8,\$p" | grep -v "^\$" | grep -v -q " kmalloc-[0-9]*\$"' "a row that does not match the filter"
# A bad regex is reported on the last line and the old filter stays.
T send-keys / C-u '(' Enter
wait_for 'invalid regex' || fail=1
T send-keys / C-u Enter
wait_gone 'filter: ' || fail=1

# Help, closed by any key.
T send-keys h
wait_for 'sort by active objects' || fail=1
golden help
T send-keys x
wait_for '^  OBJS ACTIVE' || fail=1

# Name sort, then resizes.
T send-keys n
wait_for '^    12     12 100%    1.25K .* AF_VSOCK$' || fail=1
T resize-window -x 160 -y 50
wait_for 'dma-kmalloc-2k$' || fail=1
golden large
# Narrower than 110 columns: slabtop's own columns only, NAME readable.
T resize-window -x 80 -y 12
wait_gone 'dma-kmalloc-2k$' || fail=1
wait_for '^  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME$' || fail=1
wait_for '^     0      0   0%    1.00K      0       16         0K PING$' || fail=1
golden small
T resize-window -x 50 -y 8
wait_for 'terminal too small' || fail=1
golden too-small
T resize-window -x 120 -y 30
wait_for '^  OBJS ACTIVE' || fail=1

T send-keys q
wait_for '^EXIT=0' || fail=1
check_restored q

# SIGTERM: the loop sees the flag, restores the terminal and dies of the
# signal (status 143 to the shell), as a program killed by it would.
T send-keys "sh -c 'echo \$\$ >$tmp/pid; exec $FRAGSCOPE --root $root slabtop -d 3600'; echo EXIT=\$?" Enter
wait_for '^  OBJS ACTIVE' || fail=1
kill -TERM "$(cat "$tmp/pid")"
wait_for '^EXIT=143' || fail=1
check_restored SIGTERM

# Colour when asked for: the heading uses a colour pair.
T send-keys "$FRAGSCOPE --color=always --root $root slabtop -d 3600; echo EXIT=\$?" Enter
wait_for '^  OBJS ACTIVE' || fail=1
T capture-pane -p -e >"$tmp/attr"
check 'grep -q "$(printf "\033")\[[0-9;]*4[0-7]m  OBJS" "$tmp/attr" || grep -q "$(printf "\033")\[[0-9;]*3[0-7]m" "$tmp/attr"' "--color=always: no colour on screen"
T send-keys q
wait_for '^EXIT=0' || fail=1
check_restored "q (colour)"

exit $fail
