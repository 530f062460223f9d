#!/usr/bin/env bash
# Boot an image in QEMU with a hard time limit: qemu.sh SECONDS IMAGE [extra qemu args]
set -u
secs=$1; img=$2; shift 2
exec timeout --foreground -k 5 "$secs" qemu-system-riscv64 -machine virt -nographic -bios default \
  -m 256M -smp 1 -monitor none -serial stdio -kernel "$img" "$@"
