#!/usr/bin/env bash
# Installs the Debian 12 packages hypOS needs to build, run, test and debug
# (gdb-multiarch: `make debug`, see README).
# As root it runs apt-get; otherwise it names exactly what is missing and fails.
set -euo pipefail

# command-or-file : package that provides it
needs=(
  "riscv64-unknown-elf-gcc:gcc-riscv64-unknown-elf"
  "/usr/lib/picolibc/riscv64-unknown-elf/lib/rv64imac/lp64/libc.a:picolibc-riscv64-unknown-elf"
  "qemu-system-riscv64:qemu-system-misc"
  "qemu-system-x86_64:qemu-system-x86"
  "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin:qemu-system-data"
  "gcc:gcc"
  "make:make"
  "clang:clang"
  "clang-format:clang-format"
  "/usr/include/bpf/bpf_helpers.h:libbpf-dev"
  "timeout:coreutils"
  "pkg-config:pkg-config"
  "/usr/include/libxml2/libxml/parser.h:libxml2-dev"
  "gdb-multiarch:gdb-multiarch"
  "nanopb_generator.py:nanopb"
  "protoc:protobuf-compiler"
  "dpkg-source:dpkg-dev"
)
extra_file="$(dirname "$0")/../libs/bpf/DEPENDENCIES"

missing=()
for n in "${needs[@]}"; do
  what=${n%%:*}; pkg=${n##*:}
  if [[ $what == /* ]]; then [[ -e $what ]] || missing+=("$pkg")
  else command -v "$what" >/dev/null 2>&1 || missing+=("$pkg"); fi
done
if [[ -f $extra_file ]]; then
  while read -r pkg; do
    [[ -z $pkg || $pkg == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < "$extra_file"
fi
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
# The control plane's Protocol Buffers runtime (nanopb's pb_encode.c,
# pb_decode.c, pb_common.c) is built for the target and the host from
# Debian's source package of the same version as the generator, fetched
# once into build/third_party/nanopb (never copied into the repository).
fetch_nanopb() {
  local root dir tmp
  root="$(cd "$(dirname "$0")/.." && pwd)"
  dir=$root/build/third_party/nanopb
  [[ -f $dir/pb_decode.c ]] && return 0
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get source -qq nanopb >/dev/null 2>&1) || ! ls -d "$tmp"/nanopb-*/ >/dev/null 2>&1; then
    echo "setup: could not fetch nanopb's sources (apt-get source nanopb; deb-src entries needed)" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$root/build/third_party"
  rm -rf "$dir"
  mv "$(ls -d "$tmp"/nanopb-*/ | head -1)" "$dir"
  rm -rf "$tmp"
  echo "setup: nanopb sources in $dir"
}

if [[ ${#missing[@]} -eq 0 ]]; then fetch_nanopb; exit $?; fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing Debian packages: ${missing[*]}" >&2
  echo "setup: run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
fetch_nanopb
