#!/usr/bin/env bash
# Boots every example system (build/<BUILD>/<example>.img) in QEMU with the
# command Microkit documents for qemu_virt_riscv64 (2 GiB of RAM) and checks
# its output against tests/system/<example>.expect: each line there must
# appear, in that order; a line starting with '!' must not appear at all.
# When tests/system/<example>.input exists, its bytes are typed into the
# serial console one second after boot, or, when tests/system/<example>.ready
# exists, as soon as the console shows the text it holds (a system that must
# be ready for its input, whatever the host's load); tests/system/<example>.qemu holds
# extra QEMU arguments (e.g. -icount for examples that measure shares of
# time, so that the host's load does not change what they see).
# Examples with a file examples/<example>/MCS_ONLY are booted only from an
# MCS build directory (one whose name ends in -mcs).
# Every system must also boot with the kernel's boot untyped list exactly
# as the tool replayed it (the initialiser says so in printing builds).
# One TAP line per expectation, numbered SYSTEM0001...; QEMU is stopped as
# soon as every expected line is there, or after the time limit.
#   tests/system/run.sh [BUILD_DIR] [SECONDS]
set -u
cd "$(dirname "$0")/../.."
dir=${1:-build/debug}
limit=${2:-30}
n=0; failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tap() { # ok? text
  n=$((n + 1))
  local id; id=$(printf '%s%04d' "${TAP_PREFIX:-SYSTEM}" "$n")
  if [[ $1 == ok ]]; then echo "ok $n $id $2"; else echo "not ok $n $id $2"; failed=$((failed + 1)); fi
}

# true when every positive expectation is in the log, in order
all_seen() { # expect log
  awk -v logf="$2" 'BEGIN { while ((getline l < logf) > 0) { sub(/\r$/, "", l); lines[++nl] = l } }
    /^!/ || /^#/ || /^$/ { next }
    { want = $0; found = 0
      for (; pos < nl; ) { pos++; if (index(lines[pos], want)) { found = 1; break } }
      if (!found) exit 1 }' "$1"
}

for expect in tests/system/*.expect; do
  name=$(basename "$expect" .expect)
  [[ -f examples/$name/MCS_ONLY && $dir != *-mcs ]] && continue
  img=$dir/$name.img
  qemu_extra=()
  [[ -f tests/system/$name.qemu ]] && read -r -a qemu_extra < "tests/system/$name.qemu"
  log=$tmp/$name.log
  if [[ ! -f $img ]]; then tap fail "$name: image $img exists"; continue; fi
  input=/dev/null feeder=
  if [[ -f tests/system/$name.input ]]; then
    input=$tmp/$name.fifo
    mkfifo "$input"
    ready=
    [[ -f tests/system/$name.ready ]] && ready=$(cat "tests/system/$name.ready")
    { if [[ -n $ready ]]; then
        until grep -qF -- "$ready" "$log" 2>/dev/null; do sleep 0.1; done
      else sleep 1; fi
      cat "tests/system/$name.input"; exec sleep "$limit"; } >"$input" &
    feeder=$!
  fi
  timeout --foreground -k 5 "$limit" qemu-system-riscv64 -machine virt -nographic -serial mon:stdio \
    -kernel "$img" -m size=2G "${qemu_extra[@]}" >"$log" 2>&1 <"$input" &
  qpid=$!
  start=$SECONDS
  while kill -0 "$qpid" 2>/dev/null; do
    if all_seen "$expect" "$log"; then sleep 0.3; kill "$qpid" 2>/dev/null; break; fi
    if (( SECONDS - start > limit )); then break; fi
    sleep 0.2
  done
  wait "$qpid" 2>/dev/null
  if [[ -n $feeder ]]; then kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null; fi
  tr -d '\r' < "$log" > "$log.clean"
  # the tool replayed the kernel's boot untyped list when it built the
  # image and placed every object in it: the initialiser compares the
  # replay with the kernel's boot info, entry by entry (printing builds)
  if [[ $dir != *release* ]]; then
    if grep -qF "boot untypeds are the tool's replay" "$log.clean"; then
      tap ok "$name: the kernel's boot untypeds are those the tool replayed"
    else
      tap fail "$name: the kernel's boot untypeds are those the tool replayed"
      grep -F 'initialiser:' "$log.clean" | head -5 | sed 's/^/#   /'
    fi
  fi
  pos=0
  while IFS= read -r want; do
    [[ -z $want || $want == \#* ]] && continue
    if [[ $want == !* ]]; then
      if grep -qF -- "${want#!}" "$log.clean"; then tap fail "$name: never prints '${want#!}'"; sed -n '/starting root task/,$p' "$log.clean" | head -40 | sed 's/^/#   /'
      else tap ok "$name: never prints '${want#!}'"; fi
      continue
    fi
    at=$(awk -v from="$pos" -v w="$want" 'NR > from && index($0, w) { print NR; exit }' "$log.clean")
    if [[ -n $at ]]; then pos=$at; tap ok "$name: prints '$want'"
    else tap fail "$name: prints '$want' (in order)"; sed -n '/starting root task/,$p' "$log.clean" | head -40 | sed 's/^/#   /'; fi
  done < "$expect"
done
echo "$((n - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
