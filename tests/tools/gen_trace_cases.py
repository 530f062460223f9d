#!/usr/bin/env python3
"""Writes tests/tools/bad-trace/*.system: .system files with a mistake in
hypOS's trace elements (<hypos:trace_ring>, <hypos:trace_hook>). As in
gen_cases.py, @@ marks where the error must be reported; the marker is
removed and its line:column goes into the 'expect' comment that
tests/tools/run.sh checks. Run it after changing the table; the generated
files are committed."""
import os

HDR = '<?xml version="1.0" encoding="UTF-8"?>\n'

def system(trace, extra_regions='', consumer_maps='<map mr="ring" vaddr="0x20000000" /><map mr="hk" vaddr="0x21000000" />',
           client_maps=''):
    return ('<system xmlns:hypos="urn:hypos:system:1">\n'
            '  <memory_region name="ring" size="0x1000" />\n'
            '  <memory_region name="hk" size="0x10000" />\n' + extra_regions +
            '  <protection_domain name="c" priority="100"><program_image path="hello.elf" />' + client_maps + '</protection_domain>\n'
            '  <protection_domain name="s" priority="150"><program_image path="hello.elf" /></protection_domain>\n'
            '  <protection_domain name="b" priority="200"><program_image path="hello.elf" />' + consumer_maps + '</protection_domain>\n'
            '  <channel><end pd="c" id="0" pp="true" /><end pd="s" id="0" /></channel>\n'
            '  <channel><end pd="c" id="1" /><end pd="b" id="3" /></channel>\n' + trace + '</system>\n')

RING = '  <hypos:trace_ring name="r" mr="ring" pd="b" id="5" />\n'
def hook(attrs): return RING + '  <hypos:trace_hook ' + attrs + ' />\n'

cases = [
 ("unknown-element", system('  @@<hypos:trace_rings name="r" />\n'), "invalid hypOS element <trace_rings> inside <system>: only trace_ring, trace_hook, bpf_object and pd_hook"),
 ("ring-unknown-attribute", system('  <hypos:trace_ring name="r" mr="ring" pd="b" id="5" @@size="1" />\n'), "invalid attribute 'size' on <trace_ring>"),
 ("ring-missing-pd", system('  @@<hypos:trace_ring name="r" mr="ring" id="5" />\n'), "<trace_ring> is missing the required attribute 'pd'"),
 ("ring-bad-name", system('  <hypos:trace_ring @@name="r 1" mr="ring" pd="b" id="5" />\n'), "trace ring name 'r 1' must be 1 to 31 letters"),
 ("ring-duplicate", system(RING + '  <hypos:trace_ring @@name="r" mr="hk" pd="b" id="6" />\n'), "duplicate trace ring name 'r'"),
 ("ring-id-range", system('  <hypos:trace_ring name="r" mr="ring" pd="b" @@id="62" />\n'), "trace ring channel id 62 is out of range: 0 to 61"),
 ("ring-no-region", system('  <hypos:trace_ring name="r" @@mr="rung" pd="b" id="5" />\n'), "trace ring 'r' names memory region 'rung', which does not exist"),
 ("ring-two-pages", system('  <hypos:trace_ring name="r" @@mr="big" pd="b" id="5" />\n', '  <memory_region name="big" size="0x2000" page_size="0x1000" />\n',
                           '<map mr="big" vaddr="0x20000000" />'), "memory region 'big' of trace ring 'r' must be exactly one page"),
 ("ring-no-pd", system('  <hypos:trace_ring name="r" mr="ring" @@pd="x" id="5" />\n'), "trace ring 'r' names protection domain 'x', which does not exist"),
 ("ring-not-mapped", system('  <hypos:trace_ring name="r" @@mr="ring" pd="c" id="5" />\n'), "'c' consumes trace ring 'r' but does not map its region 'ring' read-write"),
 ("ring-read-only", system('  <hypos:trace_ring name="r" @@mr="ring" pd="b" id="5" />\n', consumer_maps='<map mr="ring" vaddr="0x20000000" perms="r" />'),
  "'b' consumes trace ring 'r' but does not map its region 'ring' read-write"),
 ("ring-written-by-other", system(RING, client_maps='@@<map mr="ring" vaddr="0x20000000" />'), "'c' maps trace ring region 'ring' writable: only its consumer 'b' may write it"),
 ("ring-id-is-channel", system('  <hypos:trace_ring name="r" mr="ring" pd="b" @@id="3" />\n'), "id 3 of trace ring 'r' is already a channel of 'b'"),
 ("ring-threshold-large", system('  <hypos:trace_ring name="r" mr="ring" pd="b" id="5" @@threshold="64" />\n'), "threshold 64 of trace ring 'r' is larger than its 63 record slots"),
 ("ring-threshold-zero", system('  <hypos:trace_ring name="r" mr="ring" pd="b" id="5" @@threshold="0" />\n'), "threshold 0 of trace ring 'r' must be at least 1"),
 ("hook-no-ring", system(RING + '  <hypos:trace_hook name="h" @@ring="q" endpoint="s" />\n'), "trace hook 'h' names trace ring 'q', which does not exist"),
 ("hook-no-object", system(RING + '  @@<hypos:trace_hook name="h" ring="r" />\n'), "trace hook 'h' names no object"),
 ("hook-two-objects", system(hook('name="h" ring="r" endpoint="s" @@thread="c"')), "trace hook 'h' names both 'endpoint' and 'thread': one object per hook"),
 ("hook-no-endpoint", system(hook('name="h" ring="r" @@endpoint="c"')), "trace hook 'h': 'c' has no endpoint"),
 ("hook-unknown-event", system(hook('name="h" ring="r" endpoint="s" @@events="call replay"')), "unknown event 'replay' in trace hook 'h'"),
 ("hook-event-not-produced", system(hook('name="h" ring="r" endpoint="s" @@events="call fault"')), "trace hook 'h' observes an endpoint, which cannot produce all of 'call fault' (only send call recv reply)"),
 ("hook-empty-events", system(hook('name="h" ring="r" endpoint="s" @@events=""')), "trace hook 'h' has an empty event list"),
 ("hook-unknown-pd", system(hook('name="h" ring="r" @@thread="c x"')), "trace hook 'h' names protection domain 'x', which does not exist"),
 ("hook-pd-twice", system(hook('name="h" ring="r" @@thread="c c"')), "trace hook 'h' names 'c' twice"),
 ("hook-irq-unclaimed", system(hook('name="h" ring="r" @@irq="5"')), "trace hook 'h' names IRQ 5, which no protection domain claims"),
 ("hook-same-object", system(hook('name="h" ring="r" thread="c"') + '  <hypos:trace_hook name="h2" ring="r" @@thread="*" />\n'),
  "trace hook 'h2' observes the thread of c, which trace hook 'h' already does"),
 ("hook-two-system", system(hook('name="h" ring="r" system="true"') + '  <hypos:trace_hook name="h2" ring="r" @@system="true" events="retype" />\n'),
  "trace hook 'h2' observes the events of the system, which trace hook 'h' already does"),
 ("hook-bad-name", system(hook('@@name="h!" ring="r" system="true"')), "trace hook name 'h!' must be 1 to 31 letters"),
 ("hook-duplicate", system(hook('name="h" ring="r" system="true"') + '  <hypos:trace_hook @@name="h" ring="r" thread="c" />\n'), "duplicate trace hook name 'h'"),
 ("hook-region-too-small", system(hook('name="h" ring="r" endpoint="s" @@mr="small"'), '  <memory_region name="small" size="0x1000" />\n',
                                  '<map mr="ring" vaddr="0x20000000" /><map mr="small" vaddr="0x21000000" />'),
  "memory region 'small' of trace hook 'h' is too small: at least 0x7000 bytes"),
 ("hook-region-not-mapped", system(hook('name="h" ring="r" endpoint="s" @@mr="hk"'), consumer_maps='<map mr="ring" vaddr="0x20000000" />'),
  "'b' runs the programs of trace hook 'h' but does not map its region 'hk' read-write"),
 ("hook-region-written-by-other", system(hook('name="h" ring="r" endpoint="s" mr="hk"'), client_maps='@@<map mr="hk" vaddr="0x20000000" />'),
  "'c' maps the region 'hk' of trace hook 'h' writable: other PDs may only read it"),
 ("hook-region-is-ring", system(hook('name="h" ring="r" endpoint="s" @@mr="ring"')), "memory region 'ring' of trace hook 'h' is too small"),
 ("hook-system-false", system(hook('name="h" ring="r" @@system="false"')), "trace hook 'h': system=\"false\" names no object"),
]

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "bad-trace")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    if f.endswith(".system"):
        os.remove(os.path.join(out, f))
for i, (name, body, msg) in enumerate(cases, 1):
    text = HDR + body
    at = text.index("@@")
    line = text[:at].count("\n") + 2  # the expect comment goes on line 2
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    text = text.replace("@@", "", 1)
    first, rest = text.split("\n", 1)
    text = first + "\n" + "<!-- expect: %d:%d: error: %s -->\n" % (line, col, msg.replace("--", "- -")) + rest
    with open(os.path.join(out, "%03d-%s.system" % (i, name)), "w") as fh:
        fh.write(text)
print(len(cases), "trace cases")
