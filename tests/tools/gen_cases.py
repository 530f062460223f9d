#!/usr/bin/env python3
"""Writes tests/tools/bad/*.system from the table below. In each body, @@
marks where the error must be reported (the '<' of an element or the first
letter of an attribute); the marker is removed and its line:column goes
into the file's 'expect' comment, which tests/tools/run.sh checks.
Run it after changing the table; the generated files are committed."""
import os

HDR = '<?xml version="1.0" encoding="UTF-8"?>\n'
PD = '<protection_domain name="{n}" priority="{p}"><program_image path="hello.elf" /></protection_domain>'
def pd(n, p=100): return PD.format(n=n, p=p)

cases = [
 ("xml-malformed", '<system>\n  <protection_domain name="a">\n  </system>@@\n', "malformed XML: Opening and ending tag mismatch"),
 ("root-not-system", '@@<sistem>\n</sistem>\n', "the root element must be <system>"),
 ("root-attribute", '<system @@foo="1">\n</system>\n', "invalid attribute 'foo' on <system>"),
 ("unknown-element", '<system>\n  @@<protection_domian name="a" />\n</system>\n', "invalid element <protection_domian> inside <system>"),
 ("no-pd", '@@<system>\n</system>\n', "the system has no protection domain"),
 ("pd-missing-name", '<system>\n  @@<protection_domain priority="1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "<protection_domain> is missing the required attribute 'name'"),
 ("pd-name-too-long", '<system>\n  <protection_domain @@name="%s"><program_image path="hello.elf" /></protection_domain>\n</system>\n' % ("x" * 65), "longer than 64 characters"),
 ("pd-name-empty", '<system>\n  <protection_domain @@name=""><program_image path="hello.elf" /></protection_domain>\n</system>\n', "protection domain name is empty"),
 ("pd-name-monitor", '<system>\n  <protection_domain @@name="monitor"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'monitor' is reserved"),
 ("pd-duplicate-name", '<system>\n  %s\n  <protection_domain @@name="a"><program_image path="hello.elf" /></protection_domain>\n</system>\n' % pd("a"), "duplicate protection domain name 'a'"),
 ("pd-priority-range", '<system>\n  <protection_domain name="a" @@priority="255"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "priority 255 of 'a' is out of range: 0 to 254"),
 ("pd-priority-not-number", '<system>\n  <protection_domain name="a" @@priority="high"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'priority' of <protection_domain> is not a number: 'high'"),
 ("pd-priority-negative", '<system>\n  <protection_domain name="a" @@priority="-1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "is not a number: '-1'"),
 ("pd-budget-mcs", '<system>\n  <protection_domain name="a" @@budget="500"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "budget of 'a' cannot be enforced: the SDK's kernel is not the MCS configuration"),
 ("pd-period-mcs", '<system>\n  <protection_domain name="a" @@period="2000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "period of 'a' cannot be enforced: the SDK's kernel is not the MCS configuration"),
 ("pd-passive-mcs", '<system>\n  <protection_domain name="a" @@passive="true"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "passive protection domain 'a' needs the MCS kernel configuration"),
 ("pd-passive-not-bool", '<system>\n  <protection_domain name="a" @@passive="yes"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'passive' of <protection_domain> must be 'true' or 'false', not 'yes'"),
 ("pd-stack-unaligned", '<system>\n  <protection_domain name="a" @@stack_size="0x1800"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "stack_size 0x1800 of 'a' is not a multiple of the page size"),
 ("pd-stack-too-big", '<system>\n  <protection_domain name="a" @@stack_size="0x2000000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "stack_size 0x2000000 of 'a' is out of range"),
 ("pd-stack-zero", '<system>\n  <protection_domain name="a" @@stack_size="0"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "stack_size 0x0 of 'a' is out of range"),
 ("pd-cpu", '<system>\n  <protection_domain name="a" @@cpu="1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "cpu 1 of 'a' does not exist"),
 ("pd-smc", '<system>\n  <protection_domain name="a" @@smc="true"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'smc' is only valid on ARM boards"),
 ("pd-fpu-not-bool", '<system>\n  <protection_domain name="a" @@fpu="maybe"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'fpu' of <protection_domain> must be 'true' or 'false'"),
 ("pd-domain", '<system>\n  <protection_domain name="a" @@domain="d0"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'a' names domain 'd0' but the system has no <domains>"),
 ("pd-unknown-attribute", '<system>\n  <protection_domain name="a" @@prio="1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "invalid attribute 'prio' on <protection_domain>"),
 ("pd-id-top-level", '<system>\n  <protection_domain name="a" @@id="1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "invalid attribute 'id' on <protection_domain>"),
 ("pd-no-program", '<system>\n  @@<protection_domain name="a">\n  </protection_domain>\n</system>\n', "protection domain 'a' has no <program_image>"),
 ("pd-two-programs", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<program_image path="hello.elf" /></protection_domain>\n</system>\n', "has more than one <program_image>"),
 ("pd-unknown-child", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<mapping mr="x" vaddr="0x1000" /></protection_domain>\n</system>\n', "invalid element <mapping> inside <protection_domain>"),
 ("program-missing-path", '<system>\n  <protection_domain name="a">@@<program_image /></protection_domain>\n</system>\n', "<program_image> is missing the required attribute 'path'"),
 ("program-not-found", '<system>\n  <protection_domain name="a"><program_image @@path="nowhere.elf" /></protection_domain>\n</system>\n', "program image 'nowhere.elf' of protection domain 'a' not found on the search path"),
 ("program-not-elf", '<system>\n  <protection_domain name="a"><program_image @@path="notelf.elf" /></protection_domain>\n</system>\n', "program image 'notelf.elf' is not an ELF file"),
 ("program-wrong-arch", '<system>\n  <protection_domain name="a"><program_image @@path="host.elf" /></protection_domain>\n</system>\n', "is not a 64-bit little-endian RISC-V ELF file"),
 ("program-path-for-symbols", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" @@path_for_symbols="hello.elf" /></protection_domain>\n</system>\n', "'path_for_symbols' is not supported by hypOS yet"),
 ("virtual-machine", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<virtual_machine name="vm" /></protection_domain>\n</system>\n', "<virtual_machine> is not supported on riscv64"),
 ("ioport", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<ioport id="0" addr="0x3f8" size="8" /></protection_domain>\n</system>\n', "<ioport> is only valid on x86_64"),
 ("cspace", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<cspace /></protection_domain>\n</system>\n', "<cspace> (capability sharing) is not supported by hypOS yet"),
 ("domains", '<system>\n  %s\n  @@<domains />\n</system>\n' % pd("a"), "<domains> needs one <domain_schedule>"),
 ("io-address-space", '<system>\n  %s\n  @@<io_address_space name="x" />\n</system>\n' % pd("a"), "<io_address_space> is only valid on x86_64"),
 ("mr-missing-name", '<system>\n  @@<memory_region size="0x1000" />\n  %s\n</system>\n' % pd("a"), "<memory_region> is missing the required attribute 'name'"),
 ("mr-missing-size", '<system>\n  @@<memory_region name="m" />\n  %s\n</system>\n' % pd("a"), "<memory_region> is missing the required attribute 'size'"),
 ("mr-duplicate", '<system>\n  <memory_region name="m" size="0x1000" />\n  <memory_region @@name="m" size="0x1000" />\n  %s\n</system>\n' % pd("a"), "duplicate memory region name 'm'"),
 ("mr-size-zero", '<system>\n  <memory_region name="m" @@size="0" />\n  %s\n</system>\n' % pd("a"), "memory region 'm' has size 0"),
 ("mr-size-unaligned", '<system>\n  <memory_region name="m" @@size="0x1234" />\n  %s\n</system>\n' % pd("a"), "size 0x1234 of memory region 'm' is not a multiple of its page size 0x1000"),
 ("mr-size-vs-large-page", '<system>\n  <memory_region name="m" @@size="0x1000" page_size="0x200000" />\n  %s\n</system>\n' % pd("a"), "is not a multiple of its page size 0x200000"),
 ("mr-page-size", '<system>\n  <memory_region name="m" size="0x10000" @@page_size="0x10000" />\n  %s\n</system>\n' % pd("a"), "page_size 0x10000 of 'm' is not supported: 0x1000 or 0x200000"),
 ("mr-paddr-unaligned", '<system>\n  <memory_region name="m" size="0x1000" @@phys_addr="0x10000010" />\n  %s\n</system>\n' % pd("a"), "phys_addr 0x10000010 of memory region 'm' is not aligned to its page size"),
 ("mr-paddr-overlap", '<system>\n  <memory_region name="m" size="0x2000" phys_addr="0x10000000" />\n  <memory_region name="n" size="0x1000" @@phys_addr="0x10001000" />\n  %s\n</system>\n' % pd("a"), "memory region 'n' at 0x10001000 overlaps memory region 'm'"),
 ("mr-size-not-number", '<system>\n  <memory_region name="m" @@size="4k" />\n  %s\n</system>\n' % pd("a"), "'size' of <memory_region> is not a number: '4k'"),
 ("mr-prefill-missing", '<system>\n  <memory_region name="m" size="0x1000" @@prefill_path="nothing.bin" />\n  %s\n</system>\n' % pd("a"), "prefill file 'nothing.bin' of 'm' not found"),
 ("mr-prefill-too-big", '<system>\n  <memory_region name="m" size="0x1000" @@prefill_path="hello.elf" />\n  %s\n</system>\n' % pd("a"), "is larger than memory region 'm'"),
 ("mr-too-big", '<system>\n  <memory_region name="m" @@size="0x100000000000" />\n  %s\n</system>\n' % pd("a"), "memory region 'm' does not fit: the regions in RAM need more than 2 GiB"),
 ("mr-ram-total", '<system>\n  <memory_region name="m" size="0x60000000" />\n  <memory_region name="n" @@size="0x60000000" />\n  %s\n</system>\n' % pd("a"), "memory region 'n' does not fit: the regions in RAM need more than 2 GiB"),
 ("mr-paddr-nowhere", '<system>\n  <memory_region name="m" size="0x1000" @@phys_addr="0x200000000" />\n  %s\n</system>\n' % pd("a"), "is neither RAM nor device memory of qemu_virt_riscv64"),
 ("mr-paddr-past-ram", '<system>\n  <memory_region name="m" size="0x200000" page_size="0x1000" @@phys_addr="0xfff00000" />\n  %s\n</system>\n' % pd("a"), "memory region 'm' at 0xfff00000 runs past the end of RAM"),
 ("mr-unknown-attribute", '<system>\n  <memory_region name="m" size="0x1000" @@cached="false" />\n  %s\n</system>\n' % pd("a"), "invalid attribute 'cached' on <memory_region>"),
 ("map-missing-mr", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<map vaddr="0x4000000" /></protection_domain>\n</system>\n', "<map> is missing the required attribute 'mr'"),
 ("map-missing-vaddr", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<map mr="m" /></protection_domain>\n</system>\n', "<map> is missing the required attribute 'vaddr'"),
 ("map-unknown-mr", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<map mr="nope" vaddr="0x4000000" /></protection_domain>\n</system>\n', "<map> names memory region 'nope', which does not exist"),
 ("map-perms-invalid", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@perms="rwz" /></protection_domain>\n</system>\n', "may only contain r, w and x, not 'z'"),
 ("map-perms-write-only", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@perms="w" /></protection_domain>\n</system>\n', "is write-only ('w'): write needs read"),
 ("map-perms-empty", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@perms="" /></protection_domain>\n</system>\n', "'perms' of <map> is empty"),
 ("map-perms-twice", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@perms="rr" /></protection_domain>\n</system>\n', "'perms' of <map> names 'r' twice"),
 ("map-cached-not-bool", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@cached="no" /></protection_domain>\n</system>\n', "'cached' of <map> must be 'true' or 'false', not 'no'"),
 ("map-vaddr-unaligned", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" @@vaddr="0x4000800" /></protection_domain>\n</system>\n', "vaddr 0x4000800 of the map of 'm' is not aligned to its page size 0x1000"),
 ("map-vaddr-large-page", '<system>\n  <memory_region name="m" size="0x200000" page_size="0x200000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" @@vaddr="0x4001000" /></protection_domain>\n</system>\n', "is not aligned to its page size 0x200000"),
 ("map-overlap", '<system>\n  <memory_region name="m" size="0x2000" />\n  <memory_region name="n" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" />\n    @@<map mr="n" vaddr="0x4001000" /></protection_domain>\n</system>\n', "map of 'n' at 0x4001000 overlaps the map of 'm'"),
 ("map-over-program", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<map mr="m" vaddr="0x200000" /></protection_domain>\n</system>\n', "overlaps the program image of 'a'"),
 ("map-over-stack", '<system>\n  <memory_region name="m" size="0x2000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" @@vaddr="0x3fffffa000" /></protection_domain>\n</system>\n', "reaches the stack (bottom 0x3fffffb000) of 'a'"),
 ("map-first-page", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" @@vaddr="0x0" /></protection_domain>\n</system>\n', "covers the first page, which stays unmapped"),
 ("map-setvar-missing", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_vaddr="no_such_symbol" /></protection_domain>\n</system>\n', "setvar_vaddr symbol 'no_such_symbol' is not defined in program image 'hello.elf'"),
 ("map-setvar-size-missing", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_size="no_size" /></protection_domain>\n</system>\n', "setvar_size symbol 'no_size' is not defined"),
 ("map-setvar-twice", '<system>\n  <memory_region name="m" size="0x1000" />\n  <memory_region name="n" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" setvar_vaddr="microkit_irqs" />\n    <map mr="n" vaddr="0x5000000" @@setvar_vaddr="microkit_irqs" /></protection_domain>\n</system>\n', "symbol 'microkit_irqs' is set twice in 'a'"),
 ("map-unknown-attribute", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@size="1" /></protection_domain>\n</system>\n', "invalid attribute 'size' on <map>"),
 ("irq-missing-irq", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<irq id="1" /></protection_domain>\n</system>\n', "<irq> is missing the required attribute 'irq'"),
 ("irq-missing-id", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<irq irq="10" /></protection_domain>\n</system>\n', "<irq> is missing the required attribute 'id'"),
 ("irq-id-range", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq irq="10" @@id="62" /></protection_domain>\n</system>\n', "<irq> id 62 is out of range: ids are 0 to 61"),
 ("irq-number-range", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq @@irq="200" id="1" /></protection_domain>\n</system>\n', "<irq> number 200 is not an interrupt source"),
 ("irq-number-zero", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq @@irq="0" id="1" /></protection_domain>\n</system>\n', "<irq> number 0 is not an interrupt source"),
 ("irq-trigger", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq irq="10" id="1" @@trigger="rising" /></protection_domain>\n</system>\n', "<irq> trigger must be 'level' or 'edge', not 'rising'"),
 ("irq-duplicate", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq irq="10" id="1" /></protection_domain>\n  <protection_domain name="b"><program_image path="hello.elf" />\n    <irq @@irq="10" id="1" /></protection_domain>\n</system>\n', "IRQ 10 is already claimed by 'a'"),
 ("irq-id-clash-channel", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq irq="10" id="1" /></protection_domain>\n  %s\n  <channel><end pd="a" @@id="1" /><end pd="b" id="1" /></channel>\n</system>\n' % pd("b"), "channel id 1 is used more than once in protection domain 'a'"),
 ("irq-id-twice", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <irq irq="10" id="1" /><irq irq="11" @@id="1" /></protection_domain>\n</system>\n', "IRQ id 1 is used more than once"),
 ("irq-setvar-id", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<irq irq="10" id="1" setvar_id="x" /></protection_domain>\n</system>\n', "setvar_id symbol 'x' is not defined in program image 'hello.elf'"),
 ("setvar-missing-symbol", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<setvar region_paddr="m" /></protection_domain>\n</system>\n', "<setvar> is missing the required attribute 'symbol'"),
 ("setvar-unknown-symbol", '<system>\n  <memory_region name="m" size="0x1000" phys_addr="0x90000000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <setvar @@symbol="nothing_here" region_paddr="m" /></protection_domain>\n</system>\n', "setvar symbol 'nothing_here' is not defined"),
 ("setvar-unknown-region", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<setvar symbol="microkit_irqs" region_paddr="zz" /></protection_domain>\n</system>\n', "region_paddr names memory region 'zz', which does not exist"),
 ("setvar-bss-symbol", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_vaddr="microkit_signal_cap" /></protection_domain>\n</system>\n', "setvar_vaddr symbol 'microkit_signal_cap' in 'hello.elf' is not initialised data"),
 ("setvar-small-symbol", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_vaddr="microkit_passive" /></protection_domain>\n</system>\n', "setvar_vaddr symbol 'microkit_passive' in 'hello.elf' is 1 bytes; the tool writes 8"),
 ("setvar-twice", '<system>\n  <memory_region name="m" size="0x1000" phys_addr="0x90000000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <setvar symbol="microkit_irqs" region_paddr="m" /><setvar @@symbol="microkit_irqs" region_paddr="m" /></protection_domain>\n</system>\n', "symbol 'microkit_irqs' is set twice in 'a'"),
 ("channel-one-end", '<system>\n  %s\n  @@<channel><end pd="a" id="0" /></channel>\n</system>\n' % pd("a"), "<channel> must have exactly two <end> elements, it has 1"),
 ("channel-three-ends", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" /><end pd="b" id="0" />@@<end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "<channel> has more than two <end> elements"),
 ("channel-unknown-child", '<system>\n  %s\n  <channel>@@<pd name="a" /></channel>\n</system>\n' % pd("a"), "invalid element <pd> inside <channel>: only <end>"),
 ("channel-attribute", '<system>\n  %s\n  %s\n  <channel @@name="c"><end pd="a" id="0" /><end pd="b" id="0" /></channel>\n</system>\n' % (pd("a"), pd("b")), "invalid attribute 'name' on <channel>"),
 ("end-missing-pd", '<system>\n  %s\n  <channel>@@<end id="0" /><end pd="a" id="1" /></channel>\n</system>\n' % pd("a"), "<end> is missing the required attribute 'pd'"),
 ("end-missing-id", '<system>\n  %s\n  %s\n  <channel>@@<end pd="a" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "<end> is missing the required attribute 'id'"),
 ("end-unknown-pd", '<system>\n  %s\n  <channel><end pd="a" id="0" /><end @@pd="ghost" id="1" /></channel>\n</system>\n' % pd("a"), "channel end names protection domain 'ghost', which does not exist"),
 ("end-id-range", '<system>\n  %s\n  %s\n  <channel><end pd="a" @@id="62" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "channel end id 62 is out of range: 0 to 61"),
 ("end-id-duplicate", '<system>\n  %s\n  %s\n  %s\n  <channel><end pd="a" id="0" /><end pd="b" id="0" /></channel>\n  <channel><end pd="a" @@id="0" /><end pd="c" id="0" /></channel>\n</system>\n' % (pd("a"), pd("b"), pd("c")), "channel id 0 is used more than once in protection domain 'a'"),
 ("end-same-pd", '<system>\n  %s\n  @@<channel><end pd="a" id="0" /><end pd="a" id="1" /></channel>\n</system>\n' % pd("a"), "both ends of the channel are protection domain 'a'"),
 ("end-pp-not-bool", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" @@pp="1" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "'pp' of <end> must be 'true' or 'false', not '1'"),
 ("end-notify-not-bool", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" @@notify="off" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "'notify' of <end> must be 'true' or 'false', not 'off'"),
 ("end-pp-lower-priority", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" @@pp="true" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a", 100), pd("b", 50)), "'a' (priority 100) may not call 'b' (priority 50): protected procedure calls must go to a strictly higher priority"),
 ("end-pp-equal-priority", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" /><end pd="b" id="1" @@pp="true" /></channel>\n</system>\n' % (pd("a", 100), pd("b", 100)), "'b' (priority 100) may not call 'a' (priority 100)"),
 ("end-setvar-id", '<system>\n  %s\n  %s\n  <channel>@@<end pd="a" id="0" setvar_id="x" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "setvar_id symbol 'x' is not defined in program image 'hello.elf'"),
 ("map-setvar-prefill-size-no-prefill", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_prefill_size="microkit_irqs" /></protection_domain>\n</system>\n', "setvar_prefill_size on a map of memory region 'm', which has no prefill_path"),
 ("map-setvar-prefill-size-undefined", '<system>\n  <memory_region name="m" prefill_path="hello.elf" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" @@setvar_prefill_size="no_such_len" /></protection_domain>\n</system>\n', "setvar_prefill_size symbol 'no_such_len' is not defined"),
 ("setvar-id-twice", '<system>\n  <memory_region name="m" size="0x1000" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <map mr="m" vaddr="0x4000000" setvar_vaddr="microkit_irqs" />\n    @@<irq irq="10" id="1" setvar_id="microkit_irqs" /></protection_domain>\n</system>\n', "symbol 'microkit_irqs' is set twice in 'a'"),
 ("end-unknown-attribute", '<system>\n  %s\n  %s\n  <channel><end pd="a" id="0" @@badge="1" /><end pd="b" id="1" /></channel>\n</system>\n' % (pd("a"), pd("b")), "invalid attribute 'badge' on <end>"),
 ("child-missing-id", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<protection_domain name="b"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "<protection_domain> is missing the required attribute 'id'"),
 ("child-id-range", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <protection_domain name="b" @@id="62"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "child id 62 of 'b' is out of range: 0 to 61"),
 ("child-id-duplicate", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <protection_domain name="b" id="1"><program_image path="hello.elf" /></protection_domain>\n    <protection_domain name="c" @@id="1"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "duplicate child id 1 in 'a' (also 'b')"),
 ("child-setvar-id", '<system>\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<protection_domain name="b" id="1" setvar_id="x"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "setvar_id symbol 'x' is not defined in program image 'hello.elf'"),
 ("hypos-unknown-attribute", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" @@hypos:restart="yes"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "invalid hypOS attribute 'restart' on <protection_domain>: only max_restarts"),
 ("hypos-max-restarts-not-number", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" @@hypos:max_restarts="many"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'max_restarts' of <protection_domain> is not a number: 'many'"),
 ("hypos-max-restarts-child", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <protection_domain name="b" id="0" @@hypos:max_restarts="1"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "'b' is a child: its parent restarts it through fault(), not the monitor"),
 ("hypos-max-restarts-range", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" @@hypos:max_restarts="2000000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "max_restarts 2000000 of 'a' is out of range"),
 ("hypos-period-not-number", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" hypos:max_restarts="1" @@hypos:restart_period="1s"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'restart_period' of <protection_domain> is not a number: '1s'"),
 ("hypos-period-zero", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" hypos:max_restarts="1" @@hypos:restart_period="0"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "restart_period 0 of 'a' is out of range: 1 to 3600000000 (us)"),
 ("hypos-period-too-long", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" hypos:max_restarts="1" @@hypos:restart_period="3600000001"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "restart_period 3600000001 of 'a' is out of range"),
 ("hypos-period-without-max", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" @@hypos:restart_period="1000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "restart_period of 'a' needs max_restarts (how many restarts per period)"),
 ("hypos-period-max-range", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a" @@hypos:max_restarts="17" hypos:restart_period="1000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "max_restarts 17 of 'a' is out of range with a restart_period: 1 to 16"),
 ("hypos-period-child", '<system xmlns:hypos="urn:hypos:system:1">\n  <protection_domain name="a"><program_image path="hello.elf" />\n    <protection_domain name="b" id="0" @@hypos:restart_period="1000"><program_image path="hello.elf" /></protection_domain></protection_domain>\n</system>\n', "'b' is a child: its parent restarts it through fault(), not the monitor"),
 ("hypos-period-rtc-region", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="clock" size="0x1000" @@phys_addr="0x101000" />\n  <protection_domain name="a" hypos:max_restarts="1" hypos:restart_period="1000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "memory region 'clock' at 0x101000 holds the real-time clock (0x101000), which the monitor needs to time the restart_period of 'a' (line 5)"),
 ("too-many-pds", '<system>\n' + ''.join('  %s\n' % pd("p%d" % i) for i in range(63)) + '  @@' + pd("p63") + '\n</system>\n', "too many protection domains: at most 63"),
 ("comment-before-error", '<system>\n  <!-- <protection_domain name="decoy" priority="999"> -->\n  <protection_domain name="a" @@priority="999"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "priority 999 of 'a' is out of range"),
 ("two-elements-one-line", '<system>\n  %s <protection_domain name="b" @@priority="300"><program_image path="hello.elf" /></protection_domain>\n</system>\n' % pd("a"), "priority 300 of 'b' is out of range"),
 # the domain scheduler: <domains>, <domain_schedule> and the PD attribute
] + [(name, '<system>\n  <protection_domain name="a" %s><program_image path="hello.elf" /></protection_domain>\n  <domains>\n%s  </domains>\n</system>\n' % (pdattr, body), msg) for name, pdattr, body, msg in [
 ("domains-unknown-element", 'domain="d0"', '    <domain name="d0" />\n    @@<domian name="d1" />\n', "invalid element <domian> inside <domains>"),
 ("domain-duplicate-name", 'domain="d0"', '    <domain name="d0" />\n    <domain @@name="d0" />\n', "duplicate domain name 'd0'"),
 ("domain-id-range", 'domain="d0"', '    <domain name="d0" @@id="16" />\n', "domain id 16 is out of range: the kernel has domains 0 to 15"),
 ("domain-id-duplicate", 'domain="d0"', '    <domain name="d0" id="3" />\n    <domain name="d1" @@id="3" />\n', "domain id 3 is already 'd0'"),
 ("schedule-twice", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" duration="1 ticks" /></domain_schedule>\n    @@<domain_schedule />\n', "<domain_schedule> appears twice"),
 ("schedule-unknown-element", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule>@@<entry domain="d0" /></domain_schedule>\n', "invalid element <entry> inside <domain_schedule>"),
 ("schedule-entry-unknown-domain", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry @@domain="d9" duration="1 ticks" /></domain_schedule>\n', "names domain 'd9', which <domains> does not declare"),
 ("schedule-duration-no-unit", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" @@duration="5" /></domain_schedule>\n', "needs a number and a unit"),
 ("schedule-duration-unit", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" @@duration="5 ms" /></domain_schedule>\n', "must be in 'us' or 'ticks'"),
 ("schedule-duration-zero", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" @@duration="0 us" /></domain_schedule>\n', "duration '0 us' is zero"),
 ("schedule-start-index", 'domain="d0"', '    <domain name="d0" />\n    @@<domain_schedule start_index="1"><schedule_entry domain="d0" duration="1 ticks" /></domain_schedule>\n', "start_index 1 is not an entry of the schedule (1 entries)"),
 ("schedule-start-end-marker", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule start_index="1"><schedule_entry domain="d0" duration="1 ticks" />@@<schedule_end_marker /></domain_schedule>\n', "the schedule cannot start at an end marker"),
 ("schedule-index-shift", 'domain="d0"', '    <domain name="d0" />\n    <domain_schedule @@index_shift="99"><schedule_entry domain="d0" duration="1 ticks" /></domain_schedule>\n', "index_shift 99 with 1 entries passes the kernel's table of 100"),
 ("pd-domain-unknown", '@@domain="d1"', '    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" duration="1 ticks" /></domain_schedule>\n', "'a' names domain 'd1', which <domains> does not declare"),

]] + [
 ("pd-domain-missing", '<system>\n  @@%s\n  <domains>\n    <domain name="d0" />\n    <domain_schedule><schedule_entry domain="d0" duration="1 ticks" /></domain_schedule>\n  </domains>\n</system>\n' % pd("a"), "'a' needs a 'domain': the system has a domain schedule"),
] + [
 # boot measurements (hypos:boot_log, docs/control-plane-security.md)
 ("hypos-boot-log-not-bool", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" @@hypos:boot_log="yes" />\n  %s\n</system>\n' % pd("a"), "'boot_log' of <memory_region> is not a boolean (true|false): 'yes'"),
 ("hypos-mr-unknown-attribute", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" @@hypos:bootlog="true" />\n  %s\n</system>\n' % pd("a"), "invalid hypOS attribute 'bootlog' on <memory_region>: only boot_log"),
 ("boot-log-twice", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" hypos:boot_log="true" />\n  <memory_region name="c" size="0x1000" @@hypos:boot_log="true" />\n  %s\n</system>\n' % pd("a"), "a second boot log region 'c' (the first is 'b'"),
 ("boot-log-prefill", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" prefill_path="hello.elf" @@hypos:boot_log="true" />\n  %s\n</system>\n' % pd("a"), "boot log region 'b' has a prefill_path: the initialiser writes it"),
 ("boot-log-phys-addr", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" phys_addr="0x90000000" @@hypos:boot_log="true" />\n  %s\n</system>\n' % pd("a"), "boot log region 'b' has a phys_addr"),
 ("boot-log-large-page", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x200000" page_size="0x200000" @@hypos:boot_log="true" />\n  %s\n</system>\n' % pd("a"), "boot log region 'b' must have 4 KiB pages"),
 ("boot-log-too-big", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" @@size="0x5000" hypos:boot_log="true" />\n  %s\n</system>\n' % pd("a"), "boot log region 'b' of 0x5000 bytes: 1 PDs need 0x210 (at most 0x4000, 4 pages)"),
 ("boot-log-writable", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" hypos:boot_log="true" />\n  <protection_domain name="a"><program_image path="hello.elf" />\n    @@<map mr="b" vaddr="0x1000000" perms="rw" /></protection_domain>\n</system>\n', "'a' maps the boot log region 'b' with perms other than \"r\": no PD may change the boot measurements"),
 ("boot-log-names-alike", '<system xmlns:hypos="urn:hypos:system:1">\n  <memory_region name="b" size="0x1000" hypos:boot_log="true" />\n  %s\n  @@%s\n</system>\n' % (pd("a_long_protection_domain_name_number_one"), pd("a_long_protection_domain_name_number_two")), "have the same first 31 characters: the boot log keeps only those of a PD's name"),
]

# Checked only against an MCS SDK (tests/tools/run.sh runs bad-mcs/ with
# the tool of build/sdk-mcs): budgets, periods and passive PDs.
PDX = '<protection_domain name="{n}" priority="{p}" {a}><program_image path="hello.elf" /></protection_domain>'
mcs_cases = [
 ("budget-over-period", '<system>\n  <protection_domain name="a" @@budget="2000" period="1000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "budget (2000 us) of 'a' is larger than its period (1000 us)"),
 ("period-under-default-budget", '<system>\n  @@<protection_domain name="a" period="500"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "budget (1000 us) of 'a' is larger than its period (500 us)"),
 ("budget-too-small", '<system>\n  <protection_domain name="a" @@budget="10"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "budget 10 us of 'a' is out of range: 20 to 3600000000 us"),
 ("budget-zero", '<system>\n  <protection_domain name="a" @@budget="0" period="1000"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "budget 0 us of 'a' is out of range"),
 ("period-too-long", '<system>\n  <protection_domain name="a" budget="1000" @@period="3600000001"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "period 3600000001 us of 'a' is out of range: 20 to 3600000000 us"),
 ("budget-not-number", '<system>\n  <protection_domain name="a" @@budget="1ms"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'budget' of <protection_domain> is not a number: '1ms'"),
 ("passive-not-bool", '<system>\n  <protection_domain name="a" @@passive="1"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "'passive' of <protection_domain> must be 'true' or 'false', not '1'"),
 ("passive-never-runs", '<system>\n  <protection_domain name="a" @@passive="true"><program_image path="hello.elf" /></protection_domain>\n</system>\n', "passive protection domain 'a' would never run after init()"),
 ("passive-only-notifies", '<system>\n  <protection_domain name="a" priority="100" @@passive="true"><program_image path="hello.elf" /></protection_domain>\n  %s\n  <channel><end pd="a" id="0" /><end pd="b" id="0" notify="false" /></channel>\n</system>\n' % pd("b", 50), "passive protection domain 'a' would never run after init(): no channel notifies or calls it"),
 ("passive-child-budget-over-period", '<system>\n  <protection_domain name="p" priority="100">\n    <program_image path="hello.elf" />\n    <protection_domain name="c" id="0" priority="50" passive="true" @@budget="300" period="200"><program_image path="hello.elf" /></protection_domain>\n  </protection_domain>\n  <channel><end pd="p" id="1" /><end pd="c" id="1" /></channel>\n</system>\n', "budget (300 us) of 'c' is larger than its period (200 us)"),
]

here = os.path.dirname(os.path.abspath(__file__))
def write_cases(cases, out):
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith(".system"):
            os.remove(os.path.join(out, f))
    for i, (name, body, msg) in enumerate(cases, 1):
        text = HDR + body
        at = text.index("@@")
        # the expect comment goes on line 2, shifting everything after it by one line
        line = text[:at].count("\n") + 2
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        text = text.replace("@@", "", 1)
        parts = text.split("\n", 1)
        text = parts[0] + "\n" + "<!-- expect: %d:%d: error: %s -->\n" % (line, col, msg.replace("--", "- -")) + parts[1]
        with open(os.path.join(out, "%03d-%s.system" % (i, name)), "w") as fh:
            fh.write(text)
write_cases(cases, os.path.join(here, "bad"))
write_cases(mcs_cases, os.path.join(here, "bad-mcs"))
print(len(cases), "cases,", len(mcs_cases), "MCS cases")
