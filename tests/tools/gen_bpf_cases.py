#!/usr/bin/env python3
"""Writes tests/tools/bad-bpf/*.system: .system files with a mistake in
hypOS's elements for the bpf PD (<hypos:bpf_object>, <hypos:pd_hook>).
As in gen_cases.py, @@ marks where the error must be reported; the marker
is removed and its line:column goes into the 'expect' comment that
tests/tools/run.sh checks. The files use the bpf-filter example's build
products (serial.elf declares the hook rx_filter, stats.elf declares
none, filter.bpf.o, sneaky.bpf.o and greedy.bpf.o hold programs for it)
and the SDK's bpf.elf. Run it after changing the table; the generated
files are committed."""
import os

HDR = '<?xml version="1.0" encoding="UTF-8"?>\n'

SERIAL = '<protection_domain name="serial" priority="200"><program_image path="serial.elf" />%s</protection_domain>\n'
BPF = '<protection_domain name="bpf" priority="150"><program_image path="bpf.elf" />%s</protection_domain>\n'
STATS = '<protection_domain name="stats" priority="100"><program_image path="stats.elf" />%s</protection_domain>\n'
TO_BPF = '  <channel><end pd="serial" id="1" /><end pd="bpf" id="0" /></channel>\n'
HOOK = ('  <hypos:pd_hook name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook" '
        'setvar_size="rx_hook_size" />\n')
OBJ = '  <hypos:bpf_object pd="bpf" path="filter.bpf.o" />\n'

def system(elements, regions='', serial='', bpf='', stats='', channels=TO_BPF, pds=None):
    text = ('<system xmlns:hypos="urn:hypos:system:1">\n'
            '  <memory_region name="rx_hook" size="0x10000" />\n' + regions)
    if pds is None:
        pds = '  ' + SERIAL % serial + '  ' + BPF % bpf + '  ' + STATS % stats
    return text + pds + channels + elements + '</system>\n'

def hook(attrs): return '  <hypos:pd_hook ' + attrs + ' />\n'
def obj(attrs): return '  <hypos:bpf_object ' + attrs + ' />\n'
HOOK_ATTRS = 'pd="serial" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook" setvar_size="rx_hook_size"'

# eight regions the file gives the bpf PD itself (setvar names): every
# bpf_hookN slot, or the first six bpf_objectN slots
EIGHT_REGIONS = ''.join('  <memory_region name="h%d" size="0x10000" />\n' % i for i in range(8))
EIGHT_HOOK_MAPS = ''.join('<map mr="h%d" vaddr="0x%x" setvar_vaddr="bpf_hook%d" setvar_size="bpf_hook%d_size" />'
                          % (i, 0x20000000 + i * 0x100000, i, i) for i in range(8))
SIX_OBJECTS = ''.join('  <memory_region name="o%d" prefill_path="filter.bpf.o" />\n' % i for i in range(6))
SIX_OBJECT_MAPS = ''.join('<map mr="o%d" vaddr="0x%x" perms="r" setvar_vaddr="bpf_object%d" setvar_size="bpf_object%d_size" />'
                          % (i, 0x10000000 + i * 0x100000, i, i) for i in range(6))

cases = [
 # <hypos:bpf_object>
 ("object-unknown-attribute", system(obj('pd="bpf" path="filter.bpf.o" @@size="0x1000"')), "invalid attribute 'size' on <bpf_object>"),
 ("object-missing-pd", system('  @@<hypos:bpf_object path="filter.bpf.o" />\n'), "<bpf_object> is missing the required attribute 'pd'"),
 ("object-path-and-mr", system(obj('pd="bpf" path="filter.bpf.o" @@mr="rx_hook"')), "<bpf_object> gives both 'path' and 'mr'"),
 ("object-no-source", system('  @@<hypos:bpf_object pd="bpf" />\n'), "<bpf_object> needs 'path' (an eBPF object file) or 'mr'"),
 ("object-file-missing", system(obj('pd="bpf" @@path="flter.bpf.o"')), "eBPF object 'flter.bpf.o' not found"),
 ("object-unknown-pd", system(obj('@@pd="bfp" path="filter.bpf.o"')), "<bpf_object> names protection domain 'bfp', which does not exist"),
 ("object-not-bpf-pd", system(obj('@@pd="stats" path="filter.bpf.o"')),
  "'stats' is not a bpf PD: its program image 'stats.elf' has no bpf_object0"),
 ("object-unknown-region", system(obj('pd="bpf" @@mr="filter_obj"')), "<bpf_object> names memory region 'filter_obj', which does not exist"),
 ("object-region-twice", system(obj('pd="bpf" mr="o"') + obj('pd="bpf" @@mr="o"'), '  <memory_region name="o" prefill_path="filter.bpf.o" />\n'),
  "memory region 'o' is already the eBPF object of line 10"),
 ("object-region-mapped-by-file", system(obj('pd="bpf" @@mr="o"'), '  <memory_region name="o" prefill_path="filter.bpf.o" />\n',
                                         bpf='<map mr="o" vaddr="0x10000000" perms="r" />'),
  "'bpf' already maps memory region 'o' (line 7): <bpf_object> maps it there itself; remove that <map>"),
 ("object-too-many", system(OBJ + OBJ + '  @@<hypos:bpf_object pd="bpf" path="filter.bpf.o" />\n', SIX_OBJECTS, bpf=SIX_OBJECT_MAPS),
  "more than 8 eBPF objects for 'bpf': its program image 'bpf.elf' has bpf_object0 to bpf_object7, all taken"),
 ("object-vaddr-unaligned", system(obj('pd="bpf" path="filter.bpf.o" @@vaddr="0x10000800"')),
  "vaddr 0x10000800 of the map of 'hypos_bpf_object0' is not aligned to its page size 0x1000"),
 ("object-vaddr-overlap", system('  @@' + obj('pd="bpf" path="filter.bpf.o" vaddr="0x10000000"')[2:], '  <memory_region name="o" size="0x2000" />\n',
                                 bpf='<map mr="o" vaddr="0x10000000" perms="r" />'),
  "map of 'hypos_bpf_object0' at 0x10000000 overlaps the map of 'o' (line 7) in 'bpf'"),
 ("object-not-an-object", system('  @@' + obj('pd="bpf" path="stats.elf"')[2:]),
  "is not an eBPF object the bpf PD can load: []+0x10: not a relocatable object (e_type 2)"),
 ("object-refused-program", system(HOOK + '  @@' + obj('pd="bpf" path="sneaky.bpf.o"')[2:]),
  "(section pdhook/rx_filter) for hook 'rx_filter' of 'serial' in region 'rx_hook' (0x10000 bytes) is refused: insn 1: context field not writable [rule CTX_ACCESS]"),
 # <hypos:pd_hook>
 ("hook-unknown-attribute", system(hook('name="rx_filter" ' + HOOK_ATTRS + ' @@perms="rw"')), "invalid attribute 'perms' on <pd_hook>"),
 ("hook-missing-bpf-pd", system('  @@<hypos:pd_hook name="rx_filter" pd="serial" mr="rx_hook" setvar_vaddr="rx_hook" />\n'),
  "<pd_hook> is missing the required attribute 'bpf_pd'"),
 ("hook-bad-name", system(hook('@@name="rx filter" ' + HOOK_ATTRS)), "hook name 'rx filter' must be 1 to 31 letters, digits, '_' or '-'"),
 ("hook-duplicate-name", system(HOOK + hook('@@name="rx_filter" pd="serial" mr="h0" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                '  <memory_region name="h0" size="0x10000" />\n'),
  "duplicate hook name 'rx_filter' (first at line 10): hook names are unique in a system"),
 ("hook-unknown-pd", system(hook('name="rx_filter" @@pd="serail" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook"')),
  "hook 'rx_filter' names protection domain 'serail', which does not exist"),
 ("hook-unknown-bpf-pd", system(hook('name="rx_filter" pd="serial" mr="rx_hook" @@bpf_pd="bfp" setvar_vaddr="rx_hook"')),
  "<pd_hook> names protection domain 'bfp', which does not exist"),
 ("hook-not-bpf-pd", system(hook('name="rx_filter" pd="serial" mr="rx_hook" @@bpf_pd="stats" setvar_vaddr="rx_hook"')),
  "'stats' is not a bpf PD: its program image 'stats.elf' has no bpf_hook0"),
 ("hook-itself", system(hook('name="rx_filter" @@pd="bpf" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook"')),
  "hook 'rx_filter': 'bpf' cannot hook itself"),
 ("hook-unknown-region", system(hook('name="rx_filter" pd="serial" @@mr="rx_hok" bpf_pd="bpf" setvar_vaddr="rx_hook"')),
  "hook 'rx_filter' names memory region 'rx_hok', which does not exist"),
 ("hook-device-region", system(hook('name="rx_filter" pd="serial" @@mr="uart" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                               '  <memory_region name="uart" size="0x1000" phys_addr="0x10000000" />\n'),
  "memory region 'uart' of hook 'rx_filter' is device memory: a hook region must be in RAM"),
 ("hook-region-twice", system(HOOK + hook('name="tx_filter" pd="serial" @@mr="rx_hook" bpf_pd="bpf" setvar_vaddr="uart_base"')),
  "memory region 'rx_hook' is already the region of hook 'rx_filter'"),
 ("hook-region-is-object", system(obj('pd="bpf" mr="o"') + hook('name="rx_filter" pd="serial" @@mr="o" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                  '  <memory_region name="o" prefill_path="filter.bpf.o" />\n'),
  "memory region 'o' is the eBPF object of line 10, not a hook region"),
 ("hook-region-mapped-by-bpf", system(hook('name="rx_filter" pd="serial" @@mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                      bpf='<map mr="rx_hook" vaddr="0x20000000" setvar_vaddr="bpf_hook0" setvar_size="bpf_hook0_size" />'),
  "'bpf' already maps memory region 'rx_hook' (line 6): <pd_hook> maps it there itself; remove that <map>"),
 ("hook-pd-maps-read-only", system(HOOK, serial='@@<map mr="rx_hook" vaddr="0x3000000" perms="r" />'),
  "'serial' maps the region 'rx_hook' of hook 'rx_filter' read-only: the hooking PD writes it"),
 ("hook-pd-maps-and-setvar", system(hook('name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf" @@setvar_vaddr="rx_hook"'),
                                    serial='<map mr="rx_hook" vaddr="0x3000000" setvar_vaddr="rx_hook" />'),
  "'serial' maps the region 'rx_hook' of hook 'rx_filter' itself (line 5): vaddr, setvar_vaddr and setvar_size belong on that <map>"),
 ("hook-no-address", system('  @@<hypos:pd_hook name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf" />\n'),
  "hook 'rx_filter': give setvar_vaddr (the variable of 'serial' that gets the region's address) or vaddr"),
 ("hook-other-writer", system(HOOK, stats='@@<map mr="rx_hook" vaddr="0x4000000" perms="rw" />'),
  "'stats' maps the region 'rx_hook' of hook 'rx_filter' writable: only 'serial' and 'bpf' may write it"),
 ("hook-no-channel", system(hook('name="rx_filter" pd="serial" mr="rx_hook" @@bpf_pd="bpf" setvar_vaddr="rx_hook"'), channels=''),
  "hook 'rx_filter': 'serial' has no channel to 'bpf', so it cannot tell it that it declared the hook"),
 ("hook-too-many", system('  @@' + HOOK[2:], EIGHT_REGIONS, bpf=EIGHT_HOOK_MAPS),
  "more than 8 hook regions for 'bpf': its program image 'bpf.elf' has bpf_hook0 to bpf_hook7, all taken"),
 ("hook-setvar-twice", system(hook('name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf" @@setvar_vaddr="uart_base"'),
                              '  <memory_region name="uart" size="0x1000" phys_addr="0x10000000" />\n',
                              serial='<map mr="uart" vaddr="0x2000000" cached="false" setvar_vaddr="uart_base" />'),
  "symbol 'uart_base' is set twice in 'serial'"),
 ("hook-setvar-undefined", system(hook('name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf" @@setvar_vaddr="rx_hok"')),
  "setvar_vaddr symbol 'rx_hok' is not defined in program image 'serial.elf'"),
 ("hook-vaddr-overlap", system('  @@' + hook('name="rx_filter" ' + HOOK_ATTRS + ' vaddr="0x2000000"')[2:],
                               '  <memory_region name="uart" size="0x1000" phys_addr="0x10000000" />\n',
                               serial='<map mr="uart" vaddr="0x2000000" cached="false" setvar_vaddr="uart_base" />'),
  "map of 'rx_hook' at 0x2000000 overlaps the map of 'uart' (line 6) in 'serial'"),
 ("hook-not-declared", system(hook('@@name="tx_filter" ' + HOOK_ATTRS)),
  "'serial' does not declare hook 'tx_filter': its program image 'serial.elf' declares 'rx_filter'"),
 ("hook-declared-by-other", system(hook('name="rx_filter" @@pd="stats" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                   channels=TO_BPF + '  <channel><end pd="stats" id="1" /><end pd="bpf" id="1" /></channel>\n'),
  "hook 'rx_filter' is declared by 'serial', not by 'stats'"),
 ("hook-pd-declares-none", system(hook('@@name="rx_filter" pd="stats" mr="rx_hook" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                  pds='  ' + BPF % '' + '  ' + STATS % '',
                                  channels='  <channel><end pd="stats" id="1" /><end pd="bpf" id="1" /></channel>\n'),
  "'stats' does not declare hook 'rx_filter': its program image 'stats.elf' declares no hook"),
 ("hook-region-too-small", system(hook('name="rx_filter" pd="serial" @@mr="small" bpf_pd="bpf" setvar_vaddr="rx_hook"'),
                                  '  <memory_region name="small" size="0x5000" page_size="0x1000" />\n'),
  "memory region 'small' (0x5000 bytes) cannot hold hook 'rx_filter' of 'serial': region of 20480 bytes too small for a hook taking 512 instructions"),
 ("hook-maps-do-not-fit", system(HOOK + '  @@' + obj('pd="bpf" path="greedy.bpf.o"')[2:]),
  "for hook 'rx_filter' of 'serial' in region 'rx_hook' (0x10000 bytes) is refused: maps need 65536 bytes; the region has 45056"),
]

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "bad-bpf")
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
print(len(cases), "bpf PD cases")
