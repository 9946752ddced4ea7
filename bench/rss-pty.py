#!/usr/bin/env python3
"""rss-pty.py - the resident memory of a live view's loop after 100, 10,000
and 20,000 refreshes, driven through a pseudo-terminal by this one process.

usage: bench/rss-pty.py FRAGSCOPE VIEW [ARGS...]   e.g. build-bench/fragscope top

bench-tui.sh drives the views in tmux, and every `tmux send-keys` is a new
process on the machine, which the top view then lists: the process table
it reads changes during the measurement because of the measurement.  Here
the keys are written to the pty's master by this process, so the machine's
process list stays as it was (whatever else runs on it still shows).

Method: a 200x50 pty (TERM=screen, NO_COLOR=1); SPACE refreshes the model
and redraws.  The first 100 refreshes are paced (4 bursts of 25, 0.8 s
apart) so that the re-reads limited in time (sysfs partial counts once a
second, processes every 2 s) happen within them, as they do at any delay
above 0.03 s; then bursts of 500.  VmRSS is read from /proc/PID/status
once the view has gone idle (its output stopped for 0.3 s).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time


def drain(fd, quiet):
    """Read the view's output until it has been silent for `quiet` seconds."""
    last = time.monotonic()
    while time.monotonic() - last < quiet:
        r, _, _ = select.select([fd], [], [], quiet)
        if r:
            try:
                if os.read(fd, 65536):
                    last = time.monotonic()
            except OSError:
                return


def send(fd, n):
    for _ in range(n // 500):
        os.write(fd, b" " * 500)
        drain(fd, 0.05)
    if n % 500:
        os.write(fd, b" " * (n % 500))
    drain(fd, 0.3)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    argv = [sys.argv[1], sys.argv[2], "-d", "3600"] + sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "screen"
        os.environ["NO_COLOR"] = "1"
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    drain(fd, 1.0)
    for _ in range(4):
        send(fd, 25)
        time.sleep(0.8)
    r100 = rss_kb(pid)
    send(fd, 9900)
    r10k = rss_kb(pid)
    send(fd, 10000)
    r20k = rss_kb(pid)
    os.write(fd, b"q")
    drain(fd, 0.3)
    os.waitpid(pid, 0)
    print(f"fragscope {sys.argv[2]} VmRSS: after 100 refreshes {r100} kB, "
          f"after 10000 {r10k} kB, after 20000 {r20k} kB")


main()
