#!/usr/bin/env bash
# Benchmarks: programs that print "BENCH <name> <unit> median= min= max= n=".
# Kernel figures come from the bench build (release code + console) under
# QEMU with -icount shift=0, where instret counts guest instructions exactly.
set -u
cd "$(dirname "$0")/.."
make -s BUILD=bench build/bench/bootbench.img build/bench/ipcbench.img >/dev/null || exit 1
make -s BUILD=release kernel-size 2>/dev/null | grep '^BENCH' || exit 1
scripts/qemu.sh 60 build/bench/bootbench.img -icount shift=0 2>/dev/null | grep '^BENCH'
scripts/qemu.sh 300 build/bench/ipcbench.img -icount shift=0 2>/dev/null | tr -d '\r' | grep -E '^(BENCH|# )'
make -s BUILD=bench build/bench/vspacebench.img >/dev/null && scripts/qemu.sh 60 build/bench/vspacebench.img -icount shift=0 2>/dev/null | grep '^BENCH'
make -s BUILD=bench build/bench/irqbench.img >/dev/null && scripts/qemu.sh 60 build/bench/irqbench.img -icount shift=0 2>/dev/null | grep '^BENCH'
# a domain switch against a timeslice switch, on a kernel with two domains
make -s BUILD=bench DOMAIN_SCHEDULE=0:1,1:1 build/bench-domains/domainsbench.img >/dev/null &&
  scripts/qemu.sh 120 build/bench-domains/domainsbench.img -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH'
# interrupt latency during long operations: the RTC on the virtual clock,
# so that its nanoseconds are guest instructions under -icount shift=0
make -s BUILD=bench build/bench/preemptbench.img >/dev/null && scripts/qemu.sh 300 build/bench/preemptbench.img -m 512M \
  -icount shift=0 -rtc clock=vm 2>/dev/null | tr -d '\r' | grep -E '^(BENCH|bench:)'
# the MCS configuration: Call + ReplyRecv with a reply object, to a server
# with its own scheduling context and to a passive one
make -s MCS=1 BUILD=bench build/bench-mcs/mcsbench.img >/dev/null && scripts/qemu.sh 120 build/bench-mcs/mcsbench.img \
  -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH'
# x86_64 (QEMU's PC): the same programs, names prefixed x86_64_; the TSC
# counts guest instructions there
if make -s ARCH=x86_64 BUILD=bench build/x86_64/bench/bootbench.img build/x86_64/bench/ipcbench.img >/dev/null; then
  for b in bootbench ipcbench; do
    scripts/qemu.sh --arch x86_64 120 build/x86_64/bench/$b.img -icount shift=0 2>/dev/null | tr -d '\r' |
      grep '^BENCH' | sed 's/^BENCH /BENCH x86_64_/'
  done
fi
make -s ARCH=x86_64 BUILD=bench DOMAIN_SCHEDULE=0:1,1:1 build/x86_64/bench-domains/domainsbench.img >/dev/null &&
  scripts/qemu.sh --arch x86_64 120 build/x86_64/bench-domains/domainsbench.img -icount shift=0 2>/dev/null |
  tr -d '\r' | grep '^BENCH' | sed 's/^BENCH /BENCH x86_64_/'
# Microkit-level costs: ppcall round trip, notify to notified, boot to the last init
make -s BUILD=bench sdk build/bench/microkitbench.img >/dev/null && scripts/qemu.sh 60 build/bench/microkitbench.img \
  -m 2G -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH'
# the same on the MCS kernel (names prefixed mcs_), with a passive server too
make -s MCS=1 BUILD=bench sdk build/bench-mcs/microkitbench-mcs.img >/dev/null && scripts/qemu.sh 60 \
  build/bench-mcs/microkitbench-mcs.img -m 2G -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH' |
  sed 's/^BENCH /BENCH mcs_/'
# PD hook points: bpfhook_run without and with a 21-instruction filter
make -s BUILD=bench sdk build/bench/bpfhookbench.img >/dev/null && scripts/qemu.sh 60 build/bench/bpfhookbench.img \
  -m 2G -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH'
# kernel trace events in the bpf PD: drain and dispatch per record, a hash-map program
make -s BUILD=bench sdk build/bench/bpftracebench.img >/dev/null && scripts/qemu.sh 60 build/bench/bpftracebench.img \
  -m 2G -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH'
# ... and end to end: the kernel's record, the bpf PD woken per 32 records, the program
make -s BUILD=bench sdk build/bench/bpftraceipcbench.img >/dev/null && scripts/qemu.sh 60 \
  build/bench/bpftraceipcbench.img -m 2G -icount shift=0 2>/dev/null | tr -d '\r' | grep '^BENCH trace\|^BENCH .*ppcall'
if [[ -f libs/bpf/Makefile ]]; then
  make -s -C libs/bpf bench O="$PWD/build/host/bpf" 2>/dev/null | grep '^BENCH'
fi
# Control-plane crypto on riscv64 (libs/bundle as built for PDs): guest
# instructions per Ed25519 verify, bundle check, SHA-256, attestation
make -s -C libs/bundle bench O="$PWD/build/host/bundle" 2>/dev/null | grep '^BENCH'
# The control plane (examples/control, bench build): the switch between
# programs, and a signed replacement's cost in the agent and the bpf PD
make -s BUILD=bench sdk build/bench/control.img build/host/control/storm build/host/control/resync >/dev/null 2>&1 && tests/control/bench.sh build/bench 200
