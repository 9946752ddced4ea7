#!/usr/bin/python3
"""export-validate.py - fragscope export read back by a real Prometheus parser.

For every fixture root in tests/fixtures/roots and for this machine (no
--root), export is run in both formats:
  - openmetrics: parsed with prometheus_client.openmetrics.parser
    (OpenMetrics 1.0; the parser rejects repeated families, bad escapes,
    a missing "# EOF");
  - prometheus: parsed with prometheus_client.parser (text format 0.0.4,
    what node_exporter's textfile collector reads).
Each parse must succeed, every family must have HELP and TYPE (not
"unknown"), every sample name must start with fragscope_, and no series
(name plus labels) may appear twice.  A root export refuses (exit 3,
nothing written) must be one where no input at all could be read.

Then the content: the export-escape root's slab cache names with a double
quote, a backslash, an ESC byte and invalid UTF-8 must come back as the
exact label values, and its two "dentry" caches as two series; buddyinfo's
free blocks must equal the numbers in x86_64-6.18's proc/buddyinfo.

Environment: FRAGSCOPE (the binary), FIXTURES (tests/fixtures).
Prints "N passed, N failed"; exit 1 on any failure.
"""
import os
import subprocess
import sys

try:
    from prometheus_client.openmetrics.parser import text_string_to_metric_families as om_parse
    from prometheus_client.parser import text_string_to_metric_families as text_parse
except ImportError:
    print("python3-prometheus-client is not installed (apt-get install python3-prometheus-client)")
    sys.exit(1)

FRAGSCOPE = os.environ["FRAGSCOPE"]
ROOTS = os.path.join(os.environ["FIXTURES"], "roots")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return cond


def export(root, *args):
    cmd = [FRAGSCOPE] + (["--root", root] if root else []) + ["export"] + list(args)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(os.environ, LC_ALL="C"))
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def validate(where, fmt, out):
    """Parse out and check families and series; returns the families or None."""
    text = out.decode("utf-8")  # must be valid UTF-8: a decode error fails the test
    parse = om_parse if fmt == "openmetrics" else text_parse
    try:
        fams = list(parse(text))
    except Exception as e:  # the parser's own error is the finding
        check(False, f"{where} [{fmt}]: parser rejected the output: {e}")
        return None
    ok = True
    series = set()
    for f in fams:
        ok &= check(f.documentation != "", f"{where} [{fmt}]: family {f.name} has no HELP")
        ok &= check(f.type in ("gauge", "counter"), f"{where} [{fmt}]: family {f.name} has type {f.type}")
        ok &= check(len(f.samples) > 0, f"{where} [{fmt}]: family {f.name} has no samples")
        for s in f.samples:
            if not s.name.startswith("fragscope_"):
                ok &= check(False, f"{where} [{fmt}]: sample {s.name} lacks the fragscope_ prefix")
            key = (s.name, tuple(sorted(s.labels.items())))
            if key in series:
                ok &= check(False, f"{where} [{fmt}]: duplicate series {key}")
            series.add(key)
    if fmt == "openmetrics":
        check(text.endswith("# EOF\n"), f"{where} [openmetrics]: does not end with '# EOF'")
    else:
        check("# EOF" not in text, f"{where} [prometheus]: has '# EOF'")
    check(ok, f"{where} [{fmt}]: families valid")
    return fams


def series_of(fams, name):
    return [s for f in fams for s in f.samples if s.name == name]


nonempty = 0
roots = sorted(os.listdir(ROOTS))
for r in roots + [None]:
    root = os.path.join(ROOTS, r) if r else None
    if root and not os.path.isdir(root):
        continue
    where = r or "this machine"
    for fmt in ("openmetrics", "prometheus"):
        rc, out, err = export(root, "--format", fmt)
        if rc == 3 and not out:
            # Refused: only when nothing could be read at all.
            check("nothing to export" in err, f"{where} [{fmt}]: exit 3 without output: {err.strip()}")
            continue
        check(rc in (0, 3), f"{where} [{fmt}]: exit status {rc}: {err.strip()}")
        if r is None:
            check(rc == 0, f"this machine: exit status {rc}: {err.strip()}")
        if validate(where, fmt, out) is not None:
            nonempty += 1
check(nonempty >= 2 * 15, f"only {nonempty} root/format pairs produced metrics")

# --select keeps to the groups asked for.
rc, out, err = export(os.path.join(ROOTS, "x86_64-6.18"), "--select", "frag,compaction")
fams = validate("x86_64-6.18 --select frag,compaction", "openmetrics", out) or []
names = {f.name for f in fams}
check(rc == 0 and names and all(n.startswith(("fragscope_frag_", "fragscope_vmstat_compact_", "fragscope_input_",
                                                "fragscope_page_size")) for n in names),
      f"--select frag,compaction gave {sorted(names)}")
check("fragscope_vmstat_compact_stall" in names, "--select compaction: no compact_stall counter")

# Label values: the exact cache names, and the duplicate told apart.
rc, out, err = export(os.path.join(ROOTS, "export-escape"), "--select", "slab")
for fmt, parse in (("openmetrics", None), ("prometheus", None)):
    rc, out, err = export(os.path.join(ROOTS, "export-escape"), "--select", "slab", "--format", fmt)
    fams = validate("export-escape", fmt, out) or []
    caches = {(s.labels["cache"], s.labels["dup"]): s.value
              for s in series_of(fams, "fragscope_slab_cache_bytes")}
    want = ['we"ird\\cache', "esc\\x1b[31mname", "caf\u00e9", "bad\\xffbyte\\x7f"]
    for w in want:
        check((w, "0") in caches, f"export-escape [{fmt}]: cache label {w!r} not found in {sorted(caches)}")
    check(("dentry", "0") in caches and ("dentry", "1") in caches,
          f"export-escape [{fmt}]: duplicate 'dentry' caches not told apart: {sorted(caches)}")
    check(caches.get(("dentry", "0")) == 18914 * 4096,
          f"export-escape [{fmt}]: dentry cache bytes {caches.get(('dentry', '0'))} != 18914 slabs x 4096")
    # The raw text never holds a control byte.
    check(not any(c < 0x20 and c != 0x0a for c in out) and 0x7f not in out,
          f"export-escape [{fmt}]: a control byte in the output")

# Values: free blocks per order as proc/buddyinfo says.
root = os.path.join(ROOTS, "x86_64-6.18")
rc, out, err = export(root, "--select", "buddy")
fams = validate("x86_64-6.18 --select buddy", "openmetrics", out) or []
got = {(s.labels["node"], s.labels["zone"], s.labels["order"]): s.value
       for s in series_of(fams, "fragscope_buddy_free_blocks")}
want = {}
with open(os.path.join(root, "proc", "buddyinfo")) as f:
    for line in f:
        w = line.replace(",", " ").split()
        for k, v in enumerate(w[4:]):
            want[(w[1], w[3], str(k))] = float(v)
check(want and got == want, f"x86_64-6.18: free blocks {got} != buddyinfo {want}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
