#!/usr/bin/env bash
# Boot an image in QEMU with a hard time limit:
#   qemu.sh [--arch riscv64|x86_64] SECONDS IMAGE [extra qemu args]
#   qemu.sh --arch ARCH --print-flags     (the machine flags alone, for make debug)
# ARCH may also come from the environment; the default is riscv64.
set -u
arch=${ARCH:-riscv64}
if [[ ${1:-} == --arch ]]; then arch=$2; shift 2; fi
case $arch in
riscv64)
  qemu=qemu-system-riscv64
  flags=(-machine virt -nographic -bios default -m 256M -smp 1 -monitor none -serial stdio) ;;
x86_64)
  # The PC machine (i440fx); the CPU model is qemu64 plus 1 GiB pages, which
  # the kernel's physical-memory window needs and TCG emulates fully. The
  # kernel powers off through ACPI (PIIX4 PM); isa-debug-exit is there as
  # the fallback it uses if that fails.
  qemu=qemu-system-x86_64
  flags=(-machine pc -cpu qemu64,+pdpe1gb -nographic -m 256M -smp 1 -monitor none -serial stdio
         -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot) ;;
*) echo "qemu.sh: unknown arch $arch" >&2; exit 2 ;;
esac
if [[ ${1:-} == --print-flags ]]; then echo "${flags[@]}"; exit 0; fi
secs=$1; img=$2; shift 2
exec timeout --foreground -k 5 "$secs" "$qemu" "${flags[@]}" -kernel "$img" "$@"
