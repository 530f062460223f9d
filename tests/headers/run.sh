#!/usr/bin/env bash
# Header completeness of libsel4, as TAP lines: tests/headers/api.c names
# every function, type and constant of seL4's C API for this configuration
# and is compiled as C (gnu11) and as C++17 for a debug and a release
# configuration; every public header also compiles on its own; the list in
# api.c covers every function the headers define; a C++ program links
# against the C runtime. Needs the debug build (runtime objects). Each
# architecture's libsel4 is checked: riscv64 with its cross compiler and
# picolibc, x86_64 with the host's gcc and the runtime's own C library;
# api.c includes the architecture's list (api_<arch>.h).
set -u
cd "$(dirname "$0")/../.."
DEBUG_DEFS="-DHYPOS_DEBUG -DHYPOS_PRINTING"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0 failed=0
result() { # status description [log]
  n=$((n + 1))
  if [[ $1 -eq 0 ]]; then echo "ok $n HEADERS $2"; else
    failed=$((failed + 1)); echo "not ok $n HEADERS $2"; [[ -n ${3:-} ]] && head -20 "$3" | sed 's/^/#   /'; fi
}
# check ARCH: every check below for one architecture's libsel4
check() {
local arch=$1
if [[ $arch == riscv64 ]]; then
  CROSS=riscv64-unknown-elf-
  PICOLIBC=/usr/lib/picolibc/riscv64-unknown-elf
  ARCH="-march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany"
  LIBC="--specs=$PICOLIBC/picolibc.specs"
else
  CROSS=""
  ARCH="-m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -fno-pie -fno-stack-protector"
  LIBC="-ffreestanding -nostdinc -isystem $(gcc -print-file-name=include) -Ilibs/runtime/x86_64/include"
fi
CFLAGS="$ARCH -Wall -Wextra -Werror -O2 $LIBC -Ilibsel4/include -Ilibsel4/arch_include/$arch -Ilibs/runtime/include"
cxx_available=1
command -v "${CROSS}g++" >/dev/null || cxx_available=0

for cfg in debug release; do
  defs=""; [[ $cfg == debug ]] && defs=$DEBUG_DEFS
  "${CROSS}gcc" $CFLAGS $defs -std=gnu11 -c tests/headers/api.c -o "$out/api-$cfg.o" >"$out/log" 2>&1
  result $? "$arch: seL4's C API, every name with seL4's signature and value, compiles as C gnu11 ($cfg)" "$out/log"
  if [[ $cxx_available -eq 1 ]]; then
    "${CROSS}g++" $CFLAGS $defs -std=c++17 -x c++ -c tests/headers/api.c -o "$out/api-$cfg-cxx.o" >"$out/log" 2>&1
    result $? "$arch: seL4's C API compiles as C++17 ($cfg)" "$out/log"
  else
    result 1 "$arch: seL4's C API compiles as C++17 ($cfg): ${CROSS}g++ not found"
  fi
done

# strict ISO C (no GNU keywords such as asm) as well
"${CROSS}gcc" $CFLAGS $DEBUG_DEFS -std=c11 -c tests/headers/api.c -o "$out/api-c11.o" >"$out/log" 2>&1
result $? "$arch: seL4's C API compiles as ISO C11 without GNU extensions (debug)" "$out/log"

# every header on its own: it includes what it needs
headers=$( (cd libsel4/include && find . -name '*.h'; cd ../arch_include/$arch && find . -name '*.h') | sed 's|^\./||' | sort)
bad=0; : >"$out/log"
for h in $headers; do
  for lang in c c++; do
    std=gnu11; [[ $lang == c++ ]] && std=c++17
    cc="${CROSS}gcc"; [[ $lang == c++ ]] && cc="${CROSS}g++"
    echo "#include <$h>" | "$cc" $CFLAGS $DEBUG_DEFS -std=$std -x $lang -fsyntax-only - >>"$out/log" 2>&1 ||
      { bad=1; echo "$h ($lang) does not compile on its own" >>"$out/log"; }
  done
done
result $bad "$arch: each of the $(wc -w <<<"$headers") libsel4 headers compiles on its own, as C and as C++" "$out/log"

# the functions the headers define (internal helpers excepted) against those api.c references
"${CROSS}gcc" $CFLAGS $DEBUG_DEFS -std=gnu11 -E -P tests/headers/api.c >"$out/api.i" 2>"$out/log"
grep -oE 'static inline [^;(]*\b(seL4_[A-Za-z0-9_]+)[[:space:]]*\(' "$out/api.i" |
  grep -oE 'seL4_[A-Za-z0-9_]+[[:space:]]*\($' | tr -d ' (' | grep -vE '^seL4_(hyp|riscv|x86|arch)_' | sort -u >"$out/defined"
grep -oE '\bref_seL4_[A-Za-z0-9_]+' "$out/api.i" | sed 's/^ref_//' | sort -u >"$out/referenced"
comm -23 "$out/defined" "$out/referenced" >"$out/missing"
if [[ -s $out/missing ]]; then sed 's/^/defined but not checked: /' "$out/missing" >"$out/log"; bad=1; else bad=0; fi
[[ $(wc -l <"$out/defined") -gt 100 ]] || { echo "too few functions found: $(wc -l <"$out/defined")" >>"$out/log"; bad=1; }
result $bad "$arch: api.c checks all $(wc -l <"$out/defined") functions the headers define" "$out/log"

# C linkage from C++: a C++ root task links against the C runtime
if [[ $arch == riscv64 ]]; then
  rt="build/debug/libs/runtime"
  objs="$rt/riscv64/crt0.S.o $rt/runtime.c.o $rt/thread.c.o $rt/riscv64/libc_glue.c.o"
else
  rt="build/x86_64/debug/libs/runtime"
  objs="$rt/x86_64/crt0.S.o $rt/runtime.c.o $rt/thread.c.o $rt/x86_64/libc.c.o $rt/x86_64/tls.c.o"
fi
if [[ $cxx_available -eq 1 && -f $rt/runtime.c.o ]]; then
  "${CROSS}g++" $CFLAGS $DEBUG_DEFS -std=c++17 -fno-exceptions -fno-rtti -c tests/headers/linkage.cpp \
    -o "$out/linkage.o" >"$out/log" 2>&1 &&
    "${CROSS}gcc" $ARCH $LIBC -nostartfiles -T libs/runtime/$arch/user.ld -static \
      -o "$out/linkage.elf" $objs "$out/linkage.o" >>"$out/log" 2>&1
  result $? "$arch: a C++17 program links against libsel4 and the C runtime" "$out/log"
else
  result 1 "$arch: a C++17 program links against the C runtime (no g++ or no debug build of the runtime)"
fi
}
check riscv64
check x86_64
echo "$((n - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
