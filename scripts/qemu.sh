#!/usr/bin/env bash
# Boot an image in QEMU with a hard time limit: qemu.sh SECONDS IMAGE [extra qemu args]
# With QEMU_STOP_AT=TEXT in the environment, QEMU is also stopped as soon as
# a line of its output contains TEXT (exit status 0 then).
set -u
secs=$1; img=$2; shift 2
cmd=(timeout --foreground -k 5 "$secs" qemu-system-riscv64 -machine virt -nographic -bios default
  -m 256M -smp 1 -monitor none -serial stdio -kernel "$img" "$@")
[[ -z ${QEMU_STOP_AT:-} ]] && exec "${cmd[@]}"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/out"
"${cmd[@]}" >"$dir/out" 2>&1 </dev/null &
qemu=$!
status=1
while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ $line == *"$QEMU_STOP_AT"* ]]; then
    status=0
    kill "$qemu" 2>/dev/null
    break
  fi
done <"$dir/out"
wait "$qemu"
rc=$?
[[ $status -eq 0 ]] && exit 0
exit "$rc"
