#!/usr/bin/env bash
# Boots small images and checks what the kernel prints: behaviour that a
# root task cannot observe from inside (faults with no handler, boot
# failures, other memory sizes). Prints TAP lines.
set -u
O=${1:-build/debug}
n=0
check() { # name description seconds image expected-regex [qemu args...]
  local name=$1 desc=$2 secs=$3 img=$4 want=$5; shift 5
  n=$((n + 1))
  local out
  out=$(scripts/qemu.sh ${QARCH:+--arch "$QARCH"} "$secs" "$img" "$@" 2>&1 </dev/null)
  local ok=1 w
  # several expectations may be joined with " && "; each must match some line
  while read -r w; do grep -qE "$w" <<<"$out" || ok=0; done < <(sed 's/ && /\n/g' <<<"$want")
  grep -q "KERNEL PANIC" <<<"$out" && ok=0
  if [[ $ok -eq 1 ]]; then
    echo "ok $n $name $desc"
  else
    echo "not ok $n $name $desc"
    tail -8 <<<"$out" | sed 's/^/#   /'
  fi
}

# x86_64 (QEMU's PC; ARCH=x86_64 scripts/scenarios.sh build/x86_64/debug):
# the same programs, with what differs said in each line. The TSC stays
# readable in release builds there (as on seL4), so the two release
# counter scenarios are riscv64 only.
if [[ ${ARCH:-riscv64} == x86_64 ]]; then
  check SCENARIO101 "x86_64: demo root task prints boot info (the multiboot memory map) and exits cleanly" 60 \
    "$O/hello.img" "memory map \(X86_MBMMAP chunk of the extra boot info\): [0-9]+ bytes && program exited with status 0"
  check SCENARIO102 "x86_64: unknown syscall: the named thread faults, is suspended, kernel idles" 20 "$O/badsys.img" \
    "thread badsys: unknown syscall \(3039 && no fault handler; suspended && no runnable threads"
  check SCENARIO103 "x86_64: VM fault with no handler: thread suspended, kernel idles" 20 "$O/badptr.img" \
    "VM fault \(40000000 0\) at pc [0-9a-f]+, and it has no fault handler; suspended && no runnable threads"
  check SCENARIO104 "x86_64: a malformed root-task image is refused at boot with a reason" 20 "$O/badelf.img" \
    "boot failed: not an ELF file"
  check SCENARIO105 "x86_64: boots with 1 GiB of RAM and hands it all out" 60 "$O/hello.img" \
    "free RAM handed out: 10[0-9]{5} KiB" -m 1G
  check SCENARIO106 "x86_64: boots with 64 MiB of RAM" 60 "$O/hello.img" "program exited with status 0" -m 64M
  check SCENARIO107 "x86_64: optimised kernel (bench build) boots and runs the demo" 20 "${O%/*}/bench/hello.img" \
    "free RAM handed out: 2[0-9]{5} KiB && retype a 16-slot CNode into slot [0-9]+: ok"
  check SCENARIO109 "x86_64: user mode reads the TSC" 20 "$O/badtime.img" "program exited with status [01]"
  check SCENARIO111 "x86_64: a program prints, gets argv {rootserver} and leaves through exit() with an atexit handler" 20 \
    "$O/printing.img" "printing: line 2 from rootserver \(argc 1\) && printing: done && program exited with status 0"
  check SCENARIO112 "x86_64: DebugDumpScheduler lists every thread; abort() names SIGABRT and halts the machine" 20 \
    "$O/abort.img" \
    "Dumping all tcbs && sleeper +inactive +0x0+ +42 +0 && aborter +running +0x0+[0-9a-f]+ +255 +0 +\(current\) && rootserver terminated by signal 6 \(SIGABRT\) && halted by aborter"
  exit 0
fi

check SCENARIO001 "demo root task prints boot info and exits cleanly" 60 "$O/hello.img" \
  "device tree \(FDT chunk of the extra boot info\): [0-9]+ bytes && program exited with status 0"
check SCENARIO002 "unknown syscall: the named thread faults, is suspended, kernel idles" 20 "$O/badsys.img" \
  "thread badsys: unknown syscall \(3039 && no fault handler; suspended && no runnable threads"
check SCENARIO003 "VM fault with no handler: thread suspended, kernel idles" 20 "$O/badptr.img" \
  "VM fault \(40000000 0\) at pc [0-9a-f]+, and it has no fault handler; suspended && no runnable threads"
check SCENARIO004 "a malformed root-task image is refused at boot with a reason" 20 "$O/badelf.img" \
  "boot failed: not an ELF file"
check SCENARIO005 "boots with 1 GiB of RAM and hands it all out" 60 "$O/hello.img" \
  "free RAM handed out: 10[0-9]{5} KiB" -m 1G
check SCENARIO006 "boots with 64 MiB of RAM" 60 "$O/hello.img" "program exited with status 0" -m 64M
check SCENARIO007 "optimised kernel (bench build) boots and runs the demo" 20 "${O%/*}/bench/hello.img" \
  "free RAM handed out: 2[0-9]{5} KiB && retype a 16-slot CNode into slot [0-9]+: ok"
check SCENARIO008 "a release kernel withholds the counters from user mode: rdtime traps (scounteren = 0)" 5 "${O%/*}/release/badtime.img" \
  "cause:0+2, epc:0x0+1[0-9a-f]{4}, tval:0x0+c01[0-9a-f]{5}, desc=illegal_instruction" -d int
check SCENARIO009 "a debug kernel lets user mode read them (tests and benchmarks)" 20 "$O/badtime.img" \
  "program exited with status [01]"
check SCENARIO010 "a release root task that prints does not fault on it and reaches exit() (rdtime there traps)" 8 \
  "${O%/*}/release/printing.img" \
  "cause:0+2, epc:0x0+1[0-9a-f]{4}, tval:0x0+c01[0-9a-f]{5}, desc=illegal_instruction" -d int
check SCENARIO011 "the same program in a debug build prints, gets argv {rootserver} and exits" 20 "$O/printing.img" \
  "printing: line 2 from rootserver \(argc 1\) && printing: done && program exited with status 0"
check SCENARIO012 "DebugDumpScheduler lists every thread; abort() names SIGABRT and halts the machine" 20 "$O/abort.img" \
  "Dumping all tcbs && sleeper +inactive +0x0+ +42 +0 && aborter +running +0x0+1[0-9a-f]{4} +255 +0 +\(current\) && rootserver terminated by signal 6 \(SIGABRT\) && halted by aborter"
# The MCS configuration (build/debug-mcs, built by run-tests.sh). Under
# -icount QEMU's clock follows the guest's instructions, and with sleep=off
# idle time passes at once instead of in host time, so the budget
# measurements hold however busy the host is.
check SCENARIO013 "MCS demo: passive server on lent time, 1 ms / 10 ms budget share, timeout fault, invariants" 120 \
  "${O%/*}/debug-mcs/mcs.img" \
  "1000 calls, 1000 answered correctly && ok: the share is 10% && fault label 5, SC badge 0x5ca1ab1e && MCS demo: all as MCS promises && program exited with status 0" \
  -icount shift=0,sleep=off
QARCH=x86_64 check SCENARIO014 "MCS demo on x86_64 (TSC time, local APIC one-shot timer)" 180 \
  "${O%/*}/x86_64/debug-mcs/mcs.img" \
  "1000 calls, 1000 answered correctly && ok: the share is 10% && fault label 5, SC badge 0x5ca1ab1e && MCS demo: all as MCS promises && program exited with status 0" \
  -icount shift=0,sleep=off
