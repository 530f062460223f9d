#!/usr/bin/env bash
# Boot an image in QEMU with a hard time limit:
#   qemu.sh [--arch riscv64|x86_64] SECONDS IMAGE [extra qemu args]
#   qemu.sh --arch ARCH --print-flags     (the machine flags alone, for make debug)
# ARCH may also come from the environment; the default is riscv64.
# With QEMU_STOP_AT=TEXT in the environment, QEMU is also stopped as soon as
# a line of its output contains TEXT (exit status 0 then).
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
cmd=(timeout --foreground -k 5 "$secs" "$qemu" "${flags[@]}" -kernel "$img" "$@")
[[ -z ${QEMU_STOP_AT:-} ]] && exec "${cmd[@]}"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/out"
"${cmd[@]}" >"$dir/out" 2>&1 </dev/null &
qemu_pid=$!
status=1
while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line == *"$QEMU_STOP_AT"* ]]; then
    status=0
    kill "$qemu_pid" 2>/dev/null
    break
  fi
done <"$dir/out"
wait "$qemu_pid"
rc=$?
[[ $status -eq 0 ]] && exit 0
exit "$rc"
