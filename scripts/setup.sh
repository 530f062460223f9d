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
  "/usr/include/sodium.h:libsodium-dev"
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

# Debian source packages built for the target, fetched once into
# build/third_party/<package> (never copied into the repository):
# libsodium: Ed25519 and SHA-2 for signed eBPF bundles and attestation
# (libs/bundle, docs/control-plane-security.md); nanopb: the Protocol
# Buffers runtime (pb_encode.c, pb_decode.c, pb_common.c) of the control
# plane, the same version as the generator (docs/control-plane.md).
root="$(cd "$(dirname "$0")/.." && pwd)"
sources=(libsodium nanopb)
missing_src=()
for s in "${sources[@]}"; do
  [[ -f $root/build/third_party/$s/.fetched ]] || missing_src+=("$s")
done

if [[ ${#missing[@]} -ne 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# apt-get source needs deb-src entries; Debian's images ship only "deb".
# A file of their own adds them for the same suites (as root only).
have_deb_src() { grep -rqsE '^Types:.*deb-src|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; }
fetch_debian_source() { # package: unpacked into build/third_party/<package>
  local pkg=$1 dir=$root/build/third_party/$1 tmp
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get source -qq "$pkg" >/dev/null 2>&1) || ! ls -d "$tmp/$pkg"-*/ >/dev/null 2>&1; then
    echo "setup: apt-get source $pkg failed" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$root/build/third_party"
  rm -rf "$dir"
  mv "$(ls -d "$tmp/$pkg"-*/ | head -1)" "$dir"
  rm -rf "$tmp"
  touch "$dir/.fetched"
  echo "setup: $pkg sources in build/third_party/$pkg"
}
if [[ ${#missing_src[@]} -ne 0 ]]; then
  if ! have_deb_src; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "setup: apt has no deb-src entries; run scripts/setup.sh as root once" >&2
      exit 1
    fi
    cat > /etc/apt/sources.list.d/hypos-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
  fi
  for s in "${missing_src[@]}"; do fetch_debian_source "$s" || exit 1; done
fi
exit 0
