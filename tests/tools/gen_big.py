#!/usr/bin/env python3
"""Writes a system of N protection domains (default 63, Microkit's limit)
for measuring the tool and booting a large system: each PD maps a region
it shares with the next PD and a private one, has a channel to the next
PD (a ring of notifications) and PD i calls PD i+1 over PPC (priorities
rise along the chain). PD 0 starts a token round the ring; every PD
prints when the token passes. Usage: gen_big.py OUT.system [N]"""
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 63
lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<system>']
for i in range(n):
    lines.append('  <memory_region name="shared%d" size="0x2000" />' % i)
    lines.append('  <memory_region name="private%d" size="0x1000" />' % i)
for i in range(n):
    lines.append('  <protection_domain name="pd%02d" priority="%d">' % (i, 10 + i * 3))
    lines.append('    <program_image path="node.elf" />')
    lines.append('    <map mr="shared%d" vaddr="0x10000000" perms="rw" setvar_vaddr="next_region" />' % i)
    lines.append('    <map mr="shared%d" vaddr="0x20000000" perms="r" setvar_vaddr="prev_region" />' % ((i - 1) % n))
    lines.append('    <map mr="private%d" vaddr="0x30000000" perms="rw" />' % i)
    lines.append('  </protection_domain>')
for i in range(n):
    j = (i + 1) % n
    pp = ' pp="true"' if j > i else ''
    lines.append('  <channel><end pd="pd%02d" id="1"%s /><end pd="pd%02d" id="0" /></channel>' % (i, pp, j))
lines.append('</system>')
open(out, 'w').write('\n'.join(lines) + '\n')
